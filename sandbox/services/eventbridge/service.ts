import type { SandboxContext, SandboxService } from '../../core/service';
import { dataSourceCapability } from '../appsync/data-source';
import { endpointCapability, EVENTBRIDGE_PUBLISHER, type EventPublisher, type PutEventsEntry, type PutEventsResult } from '../capabilities';
import { EventBridgeEngine, type InjectedFailure, type ReplayDescription, type ReplayOptions } from './engine';
import { eventBridgeDataSource } from './data-source';
import type { DeliveryRecord } from './deliveries';
import { startEndpoint, type EventBridgeEndpoint } from './http-endpoint';
import type { BusEvent } from './put-events';
import { eventBridgeAttributes, readTopology } from './topology';

/** Registry key of the {@link EventBridgeInspector}. */
export const EVENTBRIDGE_INSPECT = 'eventbridge.inspect';

/** What tests (and the e2e suite) see of the running EventBridge. */
export interface EventBridgeInspector {
  /** Every event put on a bus (name or ARN), in order; replays and scheduled events are not puts. */
  events(bus: string): readonly BusEvent[];
  /** Every delivery to a target so far: its attempts and outcome. */
  deliveries(): readonly DeliveryRecord[];
  /** The first finished delivery (delivered, dead-lettered or dropped) the predicate accepts. @default timeoutMs 5000 */
  waitForDelivery(predicate: (delivery: DeliveryRecord) => boolean, timeoutMs?: number): Promise<DeliveryRecord>;
  /** Makes the next `count` PutEvents calls from outside (endpoint, publisher, AppSync data source) fail. */
  failNextPutEvents(count: number, failure?: InjectedFailure): void;
  /** Re-sends an archive's events received in [from, to) to its bus's rules, marked with `replay-name`. */
  replay(archiveName: string, options: ReplayOptions): ReplayDescription;
  /** Fires every scheduled rule and schedule occurrence up to `at`; returns how many fired. @default now */
  tick(at?: Date): number;
  /** Resolves when no delivery is in flight, retries included. */
  settled(): Promise<void>;
}

/** Options of {@link eventBridgeService}. */
export interface EventBridgeServiceOptions {
  /** Port tried first for the API endpoint; 0 for any. @default 4010 */
  readonly port?: number;
  /**
   * Divides EventBridge's own durations: retry backoffs, the event age limit of retry policies, and the
   * periods of rate() schedules. 60 makes rate(1 minute) fire every second. cron() and at() follow the
   * wall clock. @default 1
   */
  readonly timeScale?: number;
  /** Fire schedules on timers; when false only `inspect.tick()` fires them. @default true */
  readonly scheduleTimers?: boolean;
  /** Keep archives under the sandbox data folder so replays survive restarts. @default true */
  readonly persistArchives?: boolean;
  /** Services that must start first. @default [] */
  readonly after?: readonly string[];
}

/** The service, with its inspector for tests. */
export type EventBridgeService = SandboxService & { readonly inspect: EventBridgeInspector };

/**
 * EventBridge and EventBridge Scheduler over the platform's `aws_cloudwatch_event_*` and
 * `aws_scheduler_schedule` resources: PutEvents (endpoint, `eventbridge.publisher`, the AppSync
 * AMAZON_EVENTBRIDGE data source), rules with the full pattern language, input transformers, targets
 * (Lambda, SQS, SNS, Step Functions, AppSync, event buses) with retry policies and DLQs, archives and
 * replays, scheduled rules and schedules. Where it departs from AWS is listed in README.md beside this file.
 */
export function eventBridgeService(options: EventBridgeServiceOptions = {}): EventBridgeService {
  let engine: EventBridgeEngine | undefined;
  let endpoint: EventBridgeEndpoint | undefined;
  const running = (): EventBridgeEngine => {
    if (!engine) throw new Error('The EventBridge service is not running');
    return engine;
  };

  const inspect: EventBridgeInspector = {
    events: (bus) => running().events(bus),
    deliveries: () => running().deliveries(),
    waitForDelivery: (predicate, timeoutMs = 5000) => running().log.waitFor(predicate, timeoutMs),
    failNextPutEvents: (count, failure) => running().failNextPutEvents(count, failure),
    replay: (archiveName, replayOptions) => running().replay(archiveName, replayOptions),
    tick: (at) => running().schedules.tick(at?.getTime()),
    settled: () => running().settled(),
  };

  const stop = async () => {
    engine?.stop();
    const server = endpoint;
    endpoint = undefined;
    await server?.close();
  };

  return {
    name: 'eventbridge',
    runs: ['aws_cloudwatch_event_bus', 'aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target', 'aws_cloudwatch_event_archive', 'aws_scheduler_schedule'],
    accepts: {
      aws_cloudwatch_event_bus_policy: 'bus policies are not enforced: every local caller may put events on every bus',
      aws_scheduler_schedule_group: 'schedule groups only name schedules; their schedules run',
    },
    attributes: eventBridgeAttributes(),
    after: options.after ?? [],
    inspect,

    async start(context: SandboxContext): Promise<void> {
      const logger = context.logger('eventbridge');
      const topology = readTopology(context.model);
      for (const warning of topology.warnings) logger.warn(warning);
      const timeScale = options.timeScale ?? 1;
      if (!(timeScale > 0)) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
      engine = new EventBridgeEngine({
        topology,
        place: { region: context.model.region, accountId: context.model.accountId },
        registry: context.registry,
        logger,
        timeScale,
        scheduleTimers: options.scheduleTimers ?? true,
        ...((options.persistArchives ?? true) ? { dataDir: context.dataDir('eventbridge') } : {}),
      });
      const external = engine;
      const putEvents = (entries: readonly PutEventsEntry[]): PutEventsResult => external.putEvents(entries, { external: true });
      endpoint = await startEndpoint(engine, { host: context.host, port: await context.port(options.port ?? 4010), logger });
      engine.start();
      context.registry.provide<EventPublisher>(EVENTBRIDGE_PUBLISHER, { putEvents: async (entries) => putEvents(entries) });
      context.registry.provide(endpointCapability('EVENTBRIDGE'), endpoint.url);
      context.registry.provide(dataSourceCapability('AMAZON_EVENTBRIDGE'), eventBridgeDataSource(putEvents));
      context.registry.provide<EventBridgeInspector>(EVENTBRIDGE_INSPECT, inspect);
      logger.info(`EventBridge at ${endpoint.url}`, { buses: [...topology.buses.keys()], rules: topology.rules.length, schedules: topology.schedules.length });
    },

    stop,

    describe(): readonly string[] {
      if (!engine || !endpoint) return [];
      const { topology } = engine;
      const lines = [`EventBridge ${endpoint.url}  (AWS_ENDPOINT_URL_EVENTBRIDGE; bus policies accepted, not enforced)`];
      for (const bus of topology.buses.values()) {
        lines.push(`  bus ${bus.name} ${bus.arn}`);
        for (const rule of topology.rules.filter((candidate) => candidate.busName === bus.name)) {
          const trigger = rule.schedule ? rule.schedule.text : `pattern ${rule.eventPattern}`;
          lines.push(`    rule ${rule.name} (${rule.enabled ? 'enabled' : 'disabled'}, ${trigger})`);
          for (const target of rule.targets) {
            lines.push(`      -> ${target.id}: ${target.kind} ${target.arn}${target.deadLetterArn ? ` (DLQ ${target.deadLetterArn})` : ''}`);
          }
        }
      }
      for (const archive of engine.archives.values()) {
        lines.push(`  archive ${archive.definition.name} of ${archive.definition.busName} (${archive.count} events, retention ${archive.definition.retentionDays || 'indefinite'} days)`);
      }
      const upcoming = new Map(engine.schedules.upcoming().map((entry) => [entry.name, entry.next]));
      for (const schedule of topology.schedules) {
        const next = upcoming.get(`schedule ${schedule.group}/${schedule.name}`);
        const when = schedule.enabled ? (next !== undefined ? `next ${new Date(next).toISOString()}` : 'no further runs') : 'disabled';
        lines.push(`  schedule ${schedule.group}/${schedule.name} ${schedule.expression.text} (${when}) -> ${schedule.target.kind} ${schedule.target.arn}`);
      }
      return lines;
    },
  };
}
