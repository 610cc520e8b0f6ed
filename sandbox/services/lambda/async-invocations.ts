import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger';
import { LambdaServiceError, type InvocationCondition, type InvocationRecord, type InvokeResult, type LambdaError } from './contracts';
import type { AsyncInvokeConfig } from './event-invoke-config';
import type { FunctionPool } from './function-pool';

/** Lambda waits one minute before the first retry and two before the second. */
const RETRY_DELAY_SECONDS = 60;
/** Errors Lambda reports itself rather than the runtime: their payload carries no trace. */
const PLATFORM_ERRORS = /^(Sandbox\.|Runtime\.ExitError$|Runtime\.OutOfMemory$)/;

/** Options of {@link AsyncInvocations}. */
export interface AsyncInvocationsOptions {
  /** Factor applied to Lambda's retry delays and to the maximum event age (1/60: a minute lasts a second). */
  readonly timeScale: number;
  /** A function's event invoke config, or Lambda's defaults. */
  readonly config: (functionName: string) => AsyncInvokeConfig;
  /** Sends a record to a destination ARN; rejects with why it could not. */
  readonly deliver: (destination: string, record: InvocationRecord) => Promise<void>;
  readonly logger: Logger;
}

/** One event in Lambda's asynchronous queue. */
interface QueuedEvent {
  readonly requestId: string;
  readonly pool: FunctionPool;
  /** The event as the function receives it (JSON), as the record's `requestPayload` repeats it. */
  readonly payload: unknown;
  readonly config: AsyncInvokeConfig;
  /** `performance.now()` when the event was queued, for its age. */
  readonly queuedAt: number;
  attempts: number;
  /** Set while the event waits for a retry. */
  timer?: NodeJS.Timeout;
}

/**
 * Lambda's asynchronous invocation queue: an event is answered at once (Lambda's 202), run, and on a function
 * error retried after 1 then 2 minutes (scaled), up to `maximum_retry_attempts`, unless it is older than
 * `maximum_event_age_in_seconds` when the retry is due. Then the invocation record goes to the on-failure
 * destination (condition `RetriesExhausted` or `EventAgeExceeded`) or, without one, the event is dropped with an
 * error log; a success goes to the on-success destination when there is one. The request id is the same for
 * every attempt, as on Lambda.
 */
export class AsyncInvocations {
  private readonly queued = new Set<QueuedEvent>();
  /** Attempts and deliveries in flight, awaited by stop(). */
  private readonly work = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: AsyncInvocationsOptions) {}

  /** Queues an event for the pool's function and answers its request id; throws what Lambda's API refuses. */
  enqueue(pool: FunctionPool, event: unknown): string {
    if (this.stopped) throw new LambdaServiceError('ServiceException', 'The sandbox is stopping');
    pool.admit('Event');
    const queued: QueuedEvent = {
      requestId: randomUUID(),
      pool,
      payload: JSON.parse(JSON.stringify(event ?? {})) as unknown,
      config: this.options.config(pool.fn.name),
      queuedAt: performance.now(),
      attempts: 0,
    };
    this.queued.add(queued);
    this.attempt(queued);
    return queued.requestId;
  }

  /**
   * Cancels every pending retry at once, then waits for the attempts and deliveries in flight (attempts end when
   * the pools stop). Unfinished events are dropped with a warning; no record is sent for them.
   */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      const waiting = [...this.queued].filter((queued) => queued.timer !== undefined);
      for (const queued of waiting) clearTimeout(queued.timer);
      if (this.queued.size > 0) {
        this.options.logger.warn(`Stopping: ${this.queued.size} unfinished async invocation(s) dropped, ${waiting.length} of them waiting for a retry`);
      }
      this.queued.clear();
    }
    while (this.work.size > 0) await Promise.all(this.work);
  }

  private attempt(queued: QueuedEvent): void {
    queued.timer = undefined;
    queued.attempts += 1;
    this.track(
      queued.pool.invoke(queued.payload, 'Event', queued.requestId).then(
        (result) => this.settle(queued, result),
        (error: Error) => {
          if (this.stopped) return;
          this.queued.delete(queued);
          this.options.logger.error(`Dropped async invocation ${queued.requestId} of ${queued.pool.fn.name}: ${error.name}: ${error.message}`);
        },
      ),
    );
  }

  private settle(queued: QueuedEvent, result: InvokeResult): void {
    if (this.stopped) return;
    const { error } = result;
    if (!error) return this.finish(queued, 'Success', result);
    if (queued.attempts > queued.config.maximumRetryAttempts) return this.finish(queued, 'RetriesExhausted', result);
    const delaySeconds = RETRY_DELAY_SECONDS * queued.attempts;
    const delayMs = Math.round(delaySeconds * 1000 * this.options.timeScale);
    this.options.logger.warn(
      `Async invocation ${queued.requestId} of ${queued.pool.fn.name} failed (attempt ${queued.attempts} of ${queued.config.maximumRetryAttempts + 1}): ` +
        `${error.errorType}: ${error.errorMessage}; retrying in ${delaySeconds} s (${delayMs} ms in the sandbox)`,
    );
    queued.timer = setTimeout(() => {
      queued.timer = undefined;
      const ageSeconds = (performance.now() - queued.queuedAt) / 1000 / this.options.timeScale;
      if (ageSeconds > queued.config.maximumEventAgeSeconds) this.finish(queued, 'EventAgeExceeded', result);
      else this.attempt(queued);
    }, delayMs);
  }

  private finish(queued: QueuedEvent, condition: InvocationCondition, result: InvokeResult): void {
    this.queued.delete(queued);
    const name = queued.pool.fn.name;
    const destination = condition === 'Success' ? queued.config.onSuccess : queued.config.onFailure;
    if (!destination) {
      if (condition !== 'Success') {
        this.options.logger.error(
          `Dropped async invocation ${queued.requestId} of ${name} (${condition} after ${queued.attempts} attempt(s)): ` +
            `${result.error?.errorType}: ${result.error?.errorMessage}; the function has no on-failure destination`,
        );
      }
      return;
    }
    const record = invocationRecord(queued, condition, result);
    this.track(
      this.options.deliver(destination, record).then(
        () => {
          const line = `Sent the ${condition} record of async invocation ${queued.requestId} of ${name} to ${destination}`;
          if (condition === 'Success') this.options.logger.info(line);
          else this.options.logger.warn(line);
        },
        (error: Error) => {
          this.options.logger.error(`Could not send the ${condition} record of async invocation ${queued.requestId} of ${name} to ${destination}: ${error.message}`);
        },
      ),
    );
  }

  private track(work: Promise<void>): void {
    this.work.add(work);
    void work.finally(() => this.work.delete(work));
  }
}

/** The record Lambda sends to a destination, fields in Lambda's order. */
function invocationRecord(queued: QueuedEvent, condition: InvocationCondition, result: InvokeResult): InvocationRecord {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: queued.requestId,
      functionArn: `${queued.pool.fn.arn}:$LATEST`,
      condition,
      approximateInvokeCount: queued.attempts,
    },
    requestPayload: queued.payload,
    responseContext: result.error ? { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' } : { statusCode: 200, executedVersion: '$LATEST' },
    responsePayload: result.error ? errorPayload(result.error) : result.payload,
  };
}

/** The Node.js runtime reports `errorType`, `errorMessage` and `trace`; Lambda's own errors have no trace. */
function errorPayload(error: LambdaError): Record<string, unknown> {
  const { errorType, errorMessage, trace } = error;
  return PLATFORM_ERRORS.test(errorType) ? { errorType, errorMessage } : { errorType, errorMessage, trace };
}
