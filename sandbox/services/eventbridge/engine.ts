// The running EventBridge: ingests PutEvents, archives, matches rules, delivers to targets with retries and
// DLQs, replays archives, and fires scheduled rules and Scheduler schedules.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../core/logger';
import type { CapabilityRegistry } from '../../core/service';
import { SQS_SENDER, type MessageAttributes, type PutEventsEntry, type PutEventsResult, type QueueSender } from '../capabilities';
import { busName, replayArn, type Place } from './arns';
import { ArchiveStore } from './archive';
import { DeliveryLog, ruleDeadLetterAttributes, runDelivery, Timers, type DeliveryJob, type DeliveryRecord, type DeliveryRuntime } from './deliveries';
import { buildEvent, checkRequest, isEntryError, PutEventsError, type BusEvent } from './put-events';
import { ScheduleRunner } from './schedule/runner';
import { DeliveryError, sendToTarget, type DeliveryTarget, type TargetContext } from './targets';
import type { RuleDefinition, ScheduleDefinition, TargetDefinition, Topology } from './topology';
import { targetInput } from './transform';

/** How injected PutEvents failures fail. */
export interface InjectedFailure {
  /** The error code. @default 'InternalException' */
  readonly code?: string;
  /** @default 'Injected failure (eventbridge.inspect.failNextPutEvents)' */
  readonly message?: string;
  /**
   * `request`: the whole call fails (HTTP 500 on the endpoint, a rejected promise for the publisher, `ctx.error`
   * for the AppSync data source). `entries`: the call answers, every entry failed with `code`.
   * @default 'request'
   */
  readonly scope?: 'request' | 'entries';
}

/** A replay, as DescribeReplay reports it. */
export interface ReplayDescription {
  readonly replayName: string;
  readonly replayArn: string;
  readonly archiveName: string;
  readonly archiveArn: string;
  readonly destinationArn: string;
  readonly filterArns: readonly string[];
  readonly state: 'COMPLETED';
  readonly eventStartTime: Date;
  readonly eventEndTime: Date;
  readonly replayStartTime: Date;
  readonly replayEndTime: Date;
  readonly eventsReplayed: number;
}

/** Options of a replay. */
export interface ReplayOptions {
  /** Events received at or after this time... */
  readonly from: Date;
  /** ...and before this one. */
  readonly to: Date;
  /** Must be unique. @default a generated name */
  readonly replayName?: string;
  /** Only these rules of the bus (names or ARNs, StartReplay's FilterArns). @default every rule */
  readonly rules?: readonly string[];
}

/** Options of the engine. */
export interface EngineOptions {
  readonly topology: Topology;
  readonly place: Place;
  readonly registry: CapabilityRegistry;
  readonly logger: Logger;
  readonly timeScale: number;
  readonly scheduleTimers: boolean;
  /** Where archives keep their events; in memory only when absent. */
  readonly dataDir?: string;
}

function iso(instant: number): string {
  return new Date(Math.floor(instant / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Replaces Scheduler's context attributes in a schedule's input. */
function schedulerInput(template: string, values: { scheduleArn: string; scheduledTime: string; executionId: string; attempt: number }): string {
  return template
    .replaceAll('<aws.scheduler.schedule-arn>', values.scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', values.scheduledTime)
    .replaceAll('<aws.scheduler.execution-id>', values.executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(values.attempt));
}

export class EventBridgeEngine {
  readonly log = new DeliveryLog();
  readonly schedules: ScheduleRunner;
  readonly archives = new Map<string, ArchiveStore>();
  private readonly timers = new Timers();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly putLog = new Map<string, BusEvent[]>();
  private readonly replays = new Map<string, ReplayDescription>();
  private readonly runtime: DeliveryRuntime;
  private readonly targetContext: TargetContext;
  private fault?: { remaining: number; failure: Required<InjectedFailure> };

  constructor(private readonly options: EngineOptions) {
    const { topology } = options;
    for (const archive of topology.archives) this.archives.set(archive.name, new ArchiveStore(archive, options.dataDir && join(options.dataDir, 'archives')));
    this.runtime = { log: this.log, timers: this.timers, timeScale: options.timeScale, logger: options.logger };
    this.targetContext = {
      registry: options.registry,
      place: options.place,
      logger: options.logger,
      putEvents: (entries) => this.putEvents(entries, { external: false }),
    };
    this.schedules = new ScheduleRunner({ timeScale: options.timeScale, timers: options.scheduleTimers });
    for (const rule of topology.rules) {
      if (!rule.schedule || !rule.enabled) continue;
      const expression = rule.schedule;
      this.schedules.add({ name: `rule ${rule.name}`, expression, fire: (at) => this.fireRule(rule, at) });
    }
    for (const schedule of topology.schedules) {
      if (!schedule.enabled) continue;
      this.schedules.add({
        name: `schedule ${schedule.group}/${schedule.name}`,
        expression: schedule.expression,
        timeZone: schedule.timeZone,
        ...(schedule.startDate !== undefined ? { startDate: schedule.startDate } : {}),
        ...(schedule.endDate !== undefined ? { endDate: schedule.endDate } : {}),
        fire: (at) => this.fireSchedule(schedule, at),
      });
    }
  }

  get topology(): Topology {
    return this.options.topology;
  }

  start(): void {
    this.schedules.start();
  }

  /**
   * PutEvents. `external` calls (the endpoint, the publisher capability, the AppSync data source) are the
   * ones injected failures apply to. Throws PutEventsError for a request EventBridge refuses as a whole.
   */
  putEvents(entries: readonly PutEventsEntry[], { external }: { external: boolean }): PutEventsResult {
    if (external && this.fault && this.fault.remaining > 0) {
      this.fault.remaining -= 1;
      const { code, message, scope } = this.fault.failure;
      this.options.logger.warn(`Injected PutEvents failure: ${code}: ${message}`);
      if (scope === 'request') throw new PutEventsError(code, message, 500);
      return { FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: code, ErrorMessage: message })) };
    }
    checkRequest(entries);
    const now = Date.now();
    const results = entries.map((entry) => {
      const bus = busName(entry.EventBusName);
      if (!this.options.topology.buses.has(bus)) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
      const event = buildEvent(entry, this.options.place, now);
      if (isEntryError(event)) return event;
      this.ingest(bus, event, now);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** Makes the next `count` external PutEvents calls fail. */
  failNextPutEvents(count: number, failure: InjectedFailure = {}): void {
    this.fault = {
      remaining: count,
      failure: { code: failure.code ?? 'InternalException', message: failure.message ?? 'Injected failure (eventbridge.inspect.failNextPutEvents)', scope: failure.scope ?? 'request' },
    };
  }

  /** Every event put on a bus, in order. */
  events(bus: string): BusEvent[] {
    return [...(this.putLog.get(busName(bus)) ?? [])];
  }

  /** Re-sends an archive's events received in [from, to) to the rules of its bus, marked with `replay-name`. */
  replay(archiveName: string, options: ReplayOptions): ReplayDescription {
    const archive = this.archives.get(archiveName);
    if (!archive) throw new PutEventsError('ResourceNotFoundException', `Archive ${archiveName} does not exist.`);
    const from = options.from.getTime();
    const to = options.to.getTime();
    if (!(from < to)) throw new PutEventsError('ValidationException', 'Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    const name = options.replayName ?? `sandbox-replay-${this.replays.size + 1}`;
    if (this.replays.has(name)) throw new PutEventsError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    const bus = this.options.topology.buses.get(archive.definition.busName);
    const filter = (options.rules ?? []).map((rule) => rule.split('/').at(-1) as string);
    const started = Date.now();
    const events = archive.between(from, to);
    // A replayed event is received anew: its ingestion time and its age for the retry policy start now.
    for (const { event } of events) this.dispatch(archive.definition.busName, { ...event, 'replay-name': name }, Date.now(), filter);
    const description: ReplayDescription = {
      replayName: name,
      replayArn: replayArn(this.options.place, name),
      archiveName,
      archiveArn: archive.definition.arn,
      destinationArn: bus?.arn ?? archive.definition.busName,
      filterArns: options.rules ?? [],
      state: 'COMPLETED',
      eventStartTime: options.from,
      eventEndTime: options.to,
      replayStartTime: new Date(started),
      replayEndTime: new Date(),
      eventsReplayed: events.length,
    };
    this.replays.set(name, description);
    this.options.logger.info(`Replay ${name} re-sent ${events.length} event(s) of archive ${archiveName}`);
    return description;
  }

  describeReplay(name: string): ReplayDescription | undefined {
    return this.replays.get(name);
  }

  listReplays(): ReplayDescription[] {
    return [...this.replays.values()];
  }

  deliveries(): readonly DeliveryRecord[] {
    return this.log.all();
  }

  /** Resolves when no delivery is in flight (retries included). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.schedules.stop();
    this.timers.stop();
  }

  private ingest(bus: string, event: BusEvent, receivedAt: number): void {
    const log = this.putLog.get(bus) ?? [];
    log.push(event);
    this.putLog.set(bus, log);
    for (const archive of this.archives.values()) {
      if (archive.definition.busName === bus) archive.offer(event, receivedAt);
    }
    this.dispatch(bus, event, receivedAt);
  }

  private dispatch(bus: string, event: BusEvent, receivedAt: number, onlyRules: readonly string[] = []): void {
    for (const rule of this.options.topology.rules) {
      if (rule.busName !== bus || !rule.enabled || !rule.pattern) continue;
      if (onlyRules.length > 0 && !onlyRules.includes(rule.name)) continue;
      let matched: boolean;
      try {
        matched = rule.pattern.matches(event);
      } catch (error) {
        this.options.logger.error(`Rule ${rule.name} could not test event ${event.id}: ${(error as Error).message}`);
        continue;
      }
      if (!matched) continue;
      for (const target of rule.targets) this.deliverRuleTarget(rule, target, event, receivedAt);
    }
  }

  private fireRule(rule: RuleDefinition, scheduledTime: number): void {
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.options.place.accountId,
      time: iso(scheduledTime),
      region: this.options.place.region,
      resources: [rule.arn],
      detail: {},
    };
    for (const target of rule.targets) this.deliverRuleTarget(rule, target, event, Date.now());
  }

  private deliverRuleTarget(rule: RuleDefinition, target: TargetDefinition, event: BusEvent, receivedAt: number): void {
    // An event the target's input settings cannot render is not delivered (straight to the DLQ, no retries).
    let input: string | undefined;
    let inputError = new DeliveryError('INVALID_JSON', 'No input', false);
    try {
      input = targetInput(target.input, event as unknown as Record<string, unknown>, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime: new Date(receivedAt).toISOString() });
    } catch (error) {
      inputError = new DeliveryError('INVALID_JSON', (error as Error).message, false);
    }
    const replayName = event['replay-name'];
    const record = this.log.open({
      origin: 'rule',
      ruleName: rule.name,
      ruleArn: rule.arn,
      busName: rule.busName,
      targetId: target.id,
      targetArn: target.arn,
      targetKind: target.kind,
      event,
      ...(input !== undefined ? { input } : {}),
      ...(replayName ? { replayName } : {}),
    });
    const deliveryTarget: DeliveryTarget = target;
    const job: DeliveryJob = {
      record,
      retryPolicy: target.retryPolicy,
      startedAt: receivedAt,
      send: async () => {
        if (input === undefined) throw inputError;
        await sendToTarget(deliveryTarget, input, this.targetContext, { deduplicationId: event.id });
      },
      ...(target.deadLetterArn
        ? { deadLetter: { arn: target.deadLetterArn, body: JSON.stringify(event), attributes: ruleDeadLetterAttributes(rule.arn, target.arn) } }
        : {}),
      sendDeadLetter: (arn, body, attributes) => this.sendDeadLetter(arn, body, attributes),
    };
    this.track(() => runDelivery(job, this.runtime));
  }

  private fireSchedule(schedule: ScheduleDefinition, scheduledTime: number): void {
    const { target } = schedule;
    const executionId = randomUUID();
    const values = { scheduleArn: schedule.arn, scheduledTime: iso(scheduledTime), executionId };
    const template = target.input ?? '{}';
    const firstInput = schedulerInput(template, { ...values, attempt: 1 });
    const record = this.log.open({
      origin: 'schedule',
      scheduleName: schedule.name,
      scheduleArn: schedule.arn,
      targetId: executionId,
      targetArn: target.arn,
      targetKind: target.kind,
      input: firstInput,
      scheduledTime: values.scheduledTime,
    });
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    const job: DeliveryJob = {
      record,
      retryPolicy: target.retryPolicy,
      startedAt: Date.now(),
      send: async (attempt) => {
        const input = schedulerInput(template, { ...values, attempt });
        if (target.kind === 'appsync') throw new DeliveryError('NO_RESOURCE', 'The sandbox does not deliver schedules to AppSync', false);
        const busEntry = target.eventBridge ? { Source: target.eventBridge.source, DetailType: target.eventBridge.detailType, Detail: input, Resources: [schedule.arn] } : undefined;
        await sendToTarget(target, input, this.targetContext, { deduplicationId: executionId, ...(busEntry ? { busEntry } : {}) });
      },
      ...(target.deadLetterArn
        ? {
            deadLetter: {
              arn: target.deadLetterArn,
              body: firstInput,
              attributes: (error: DeliveryError): MessageAttributes => ({
                ERROR_CODE: attribute(error.code),
                ERROR_MESSAGE: attribute(error.message.slice(0, 1024)),
                EXECUTION_ID: attribute(executionId),
                SCHEDULE_ARN: attribute(schedule.arn),
                TARGET_ARN: attribute(target.arn),
              }),
            },
          }
        : {}),
      sendDeadLetter: (arn, body, attributes) => this.sendDeadLetter(arn, body, attributes),
    };
    this.track(() => runDelivery(job, this.runtime));
  }

  private async sendDeadLetter(arn: string, body: string, attributes: MessageAttributes): Promise<void> {
    const sender = this.options.registry.find<QueueSender>(SQS_SENDER);
    if (!sender) throw new Error(`No sandbox service provides SQS (${SQS_SENDER})`);
    await sender.sendMessage(arn, body, { messageAttributes: attributes });
  }

  /** Starts a delivery after the current call (PutEvents answers before targets are called, as on AWS). */
  private track(run: () => Promise<void>): void {
    const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(run);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }
}
