// Delivery of one input to one target with EventBridge's retry policy: exponential backoff with jitter until
// the target accepts it, the retries or the event's age run out (then the DLQ, if any), or the error is one
// EventBridge does not retry. Every delivery is recorded for tests and the log.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger';
import type { MessageAttributes } from '../capabilities';
import type { TargetKind } from './arns';
import type { BusEvent } from './put-events';
import type { RetryPolicy } from './topology';
import { classify, DeliveryError } from './targets';

/** One attempt of a delivery. */
export interface DeliveryAttempt {
  readonly at: string;
  /** Absent when the target accepted the input. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Where a delivery ended: still retrying, accepted, in the DLQ, or lost (no DLQ, or the DLQ failed). */
export type DeliveryOutcome = 'pending' | 'delivered' | 'dead-lettered' | 'dropped';

/** A delivery as tests see it. */
export interface DeliveryRecord {
  readonly id: string;
  /** A rule matched an event (or a scheduled rule fired), or a Scheduler schedule fired. */
  readonly origin: 'rule' | 'schedule';
  readonly ruleName?: string;
  readonly ruleArn?: string;
  readonly busName?: string;
  readonly scheduleName?: string;
  readonly scheduleArn?: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly targetKind: TargetKind;
  /** The event a rule matched. */
  readonly event?: BusEvent;
  /** What the target was sent; undefined when the input could not be made (see `error`). */
  readonly input?: string;
  readonly replayName?: string;
  /** When a schedule's occurrence was due (Scheduler's `<aws.scheduler.scheduled-time>`). */
  readonly scheduledTime?: string;
  readonly attempts: readonly DeliveryAttempt[];
  readonly outcome: DeliveryOutcome;
  /** The last failure. */
  readonly error?: { readonly code: string; readonly message: string };
  /** The DLQ the input went to. */
  readonly deadLetterArn?: string;
}

type MutableRecord = { -readonly [K in keyof DeliveryRecord]: DeliveryRecord[K] } & { attempts: DeliveryAttempt[] };

/** Every delivery, with waiting on outcomes. */
export class DeliveryLog {
  private readonly records: MutableRecord[] = [];
  private readonly listeners = new Set<() => void>();

  /** Starts recording a delivery. */
  open(fields: Omit<DeliveryRecord, 'id' | 'attempts' | 'outcome'>): MutableRecord {
    const record: MutableRecord = { id: randomUUID(), attempts: [], outcome: 'pending', ...fields };
    this.records.push(record);
    this.changed();
    return record;
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  all(): readonly DeliveryRecord[] {
    return this.records.map((record) => ({ ...record, attempts: [...record.attempts] }));
  }

  /** Resolves with the first finished delivery the predicate accepts; rejects after `timeoutMs`. */
  waitFor(predicate: (record: DeliveryRecord) => boolean, timeoutMs: number): Promise<DeliveryRecord> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.records.find((record) => record.outcome !== 'pending' && predicate(record));
        if (!found) return false;
        finish();
        resolve({ ...found, attempts: [...found.attempts] });
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        const seen = this.records.map((record) => `${record.ruleName ?? record.scheduleName}/${record.targetId}: ${record.outcome}`).join(', ') || 'none';
        reject(new Error(`No finished EventBridge delivery matched within ${timeoutMs} ms (deliveries: ${seen})`));
      }, timeoutMs);
      const listener = () => void check();
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      check();
    });
  }
}

/** Cancellable sleeps, so stop() ends every pending retry. */
export class Timers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  /** Resolves true after `ms`, or false at once when (or if) the timers are stopped. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}

/**
 * Backoff before retry `retry` (1-based), in real milliseconds: 1 s doubling up to 5 minutes, with jitter
 * between half and all of it, divided by the time scale. AWS documents "exponential back off and jitter"
 * without numbers; these are the sandbox's.
 */
export function backoffMs(retry: number, timeScale: number, random: () => number = Math.random): number {
  const ceiling = Math.min(1000 * 2 ** (retry - 1), 300_000);
  return (ceiling / 2 + (random() * ceiling) / 2) / timeScale;
}

/** Where a delivery's DLQ message goes and what it carries. */
export interface DeadLetter {
  readonly arn: string;
  readonly body: string;
  /** The message attributes, given the last error and how the retries ended. */
  attributes(error: DeliveryError, retries: number, exhausted?: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds'): MessageAttributes;
}

/** What one delivery runs. */
export interface DeliveryJob {
  readonly record: MutableRecord;
  readonly retryPolicy: RetryPolicy;
  /** When the event entered EventBridge (or the schedule fired), for MaximumEventAgeInSeconds. */
  readonly startedAt: number;
  /** One attempt; `attempt` is 1-based. */
  send(attempt: number): Promise<void>;
  readonly deadLetter?: DeadLetter;
  /** Sends the DLQ message (SQS_SENDER). */
  sendDeadLetter(arn: string, body: string, attributes: MessageAttributes): Promise<void>;
}

/** What every delivery shares. */
export interface DeliveryRuntime {
  readonly log: DeliveryLog;
  readonly timers: Timers;
  readonly timeScale: number;
  readonly logger: Logger;
}

function attributeValue(value: string): { DataType: string; StringValue: string } {
  return { DataType: 'String', StringValue: value };
}

/** The DLQ attributes EventBridge adds to a rule target's undelivered event. */
export function ruleDeadLetterAttributes(ruleArn: string, targetArn: string) {
  return (error: DeliveryError, retries: number, exhausted?: string): MessageAttributes => ({
    RULE_ARN: attributeValue(ruleArn),
    TARGET_ARN: attributeValue(targetArn),
    ERROR_CODE: attributeValue(error.code),
    ERROR_MESSAGE: attributeValue(error.message.slice(0, 1024)),
    ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: attributeValue(exhausted) } : {}),
    RETRY_ATTEMPTS: attributeValue(String(retries)),
  });
}

/** Runs a delivery to its end; never throws. */
export async function runDelivery(job: DeliveryJob, runtime: DeliveryRuntime): Promise<void> {
  const { record } = job;
  let attempt = 0;
  for (;;) {
    attempt += 1;
    let failure: DeliveryError | undefined;
    try {
      await job.send(attempt);
    } catch (error) {
      failure = classify(error);
    }
    record.attempts.push({ at: new Date().toISOString(), ...(failure ? { error: { code: failure.code, message: failure.message } } : {}) });
    if (!failure) {
      record.outcome = 'delivered';
      delete record.error;
      runtime.log.changed();
      return;
    }
    record.error = { code: failure.code, message: failure.message };
    const retries = attempt - 1;
    let exhausted: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined;
    if (failure.retryable) {
      const delay = backoffMs(attempt, runtime.timeScale);
      const ageAfterDelayMs = (Date.now() + delay - job.startedAt) * runtime.timeScale;
      if (retries >= job.retryPolicy.maximumRetryAttempts) exhausted = 'MaximumRetryAttempts';
      else if (ageAfterDelayMs > job.retryPolicy.maximumEventAgeSeconds * 1000) exhausted = 'MaximumEventAgeInSeconds';
      else {
        runtime.log.changed();
        if (!(await runtime.timers.sleep(delay))) {
          record.outcome = 'dropped';
          record.error = { code: 'INTERNAL_ERROR', message: 'The sandbox stopped before the delivery finished' };
          runtime.log.changed();
          return;
        }
        continue;
      }
    }
    await giveUp(job, runtime, failure, retries, exhausted);
    return;
  }
}

async function giveUp(job: DeliveryJob, runtime: DeliveryRuntime, failure: DeliveryError, retries: number, exhausted: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined): Promise<void> {
  const { record } = job;
  const what = `${record.ruleName ?? record.scheduleName}/${record.targetId} (${record.targetArn})`;
  const why = `${failure.code}: ${failure.message}${exhausted ? ` after ${retries} retries (${exhausted})` : ''}`;
  if (!job.deadLetter) {
    record.outcome = 'dropped';
    runtime.logger.error(`Dropped an event for ${what}: ${why}; the target has no dead-letter queue`);
    runtime.log.changed();
    return;
  }
  try {
    await job.sendDeadLetter(job.deadLetter.arn, job.deadLetter.body, job.deadLetter.attributes(failure, retries, exhausted));
    record.outcome = 'dead-lettered';
    record.deadLetterArn = job.deadLetter.arn;
    runtime.logger.warn(`Sent an event for ${what} to the dead-letter queue ${job.deadLetter.arn}: ${why}`);
  } catch (error) {
    record.outcome = 'dropped';
    runtime.logger.error(`Dropped an event for ${what}: ${why}; the dead-letter queue ${job.deadLetter.arn} refused it too: ${(error as Error).message}`);
  }
  runtime.log.changed();
}
