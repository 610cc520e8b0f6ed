import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../../core/logger';
import type { LambdaInvoker } from '../lambda/contracts';
import type { MappingSpec } from './resources';

/** One record of the event Lambda receives from an SQS event source mapping. */
export interface SqsLambdaRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, SqsLambdaMessageAttribute>>;
  readonly md5OfMessageAttributes?: string;
  readonly md5OfBody: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/** A message attribute in a Lambda SQS event: lower-case keys, binary values in base64, list fields always present. */
export interface SqsLambdaMessageAttribute {
  readonly stringValue?: string;
  readonly binaryValue?: string;
  readonly stringListValues: readonly string[];
  readonly binaryListValues: readonly string[];
  readonly dataType: string;
}

/** System attributes in the order Lambda lists them; any others follow. */
const ATTRIBUTE_ORDER = ['AWSTraceHeader', 'ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp', 'SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId'];

/** A received message as Lambda puts it in the SQS event. */
export function sqsLambdaRecord(message: Message, queueArn: string, region: string): SqsLambdaRecord {
  const received = message.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const name of [...ATTRIBUTE_ORDER, ...Object.keys(received).sort()]) {
    const value = (received as Record<string, string | undefined>)[name];
    if (value !== undefined && !(name in attributes)) attributes[name] = value;
  }
  const messageAttributes: Record<string, SqsLambdaMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes,
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** How Lambda reads a `ReportBatchItemFailures` response: the failed message ids, or why the whole batch failed. */
export type BatchResponse = { readonly failed: ReadonlySet<string> } | { readonly invalid: string };

/**
 * Lambda's rules for a partial batch response: no response, an empty object or an empty or null
 * `batchItemFailures` mean every message succeeded; anything else that is not a list of `itemIdentifier`s
 * naming messages of the batch fails the whole batch.
 */
export function readBatchResponse(payload: unknown, messageIds: ReadonlySet<string>): BatchResponse {
  if (payload === null || payload === undefined) return { failed: new Set() };
  if (typeof payload !== 'object' || Array.isArray(payload)) return { invalid: `the response ${JSON.stringify(payload)} is not an object` };
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { failed: new Set() };
  if (!Array.isArray(failures)) return { invalid: 'batchItemFailures is not a list' };
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure && typeof failure === 'object' ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { invalid: `batchItemFailures holds ${JSON.stringify(failure)}, which has no itemIdentifier` };
    if (!messageIds.has(id)) return { invalid: `itemIdentifier ${id} names no message of the batch` };
    failed.add(id);
  }
  return { failed };
}

/** Timing of the pollers. */
export interface PollerTiming {
  /** ReceiveMessage's WaitTimeSeconds (long polling, as Lambda's pollers). */
  readonly waitTimeSeconds: number;
  /** Pause after an empty short poll, between receives while a batching window fills, and after an error. */
  readonly pollIntervalMs: number;
  /** Batches in flight at once when the mapping sets no `scaling_config.maximum_concurrency`. */
  readonly defaultConcurrency: number;
}

/**
 * Lambda's SQS poller for one event source mapping: receives batches (batch size, batching window),
 * invokes the function synchronously with up to `maximum_concurrency` batches in flight, and deletes what
 * succeeded. A failed invocation leaves the whole batch to come back after the visibility timeout; with
 * `ReportBatchItemFailures` only the reported messages stay. fauxqs's redrive moves a message to the DLQ
 * when a receive would exceed the queue's maxReceiveCount.
 */
export class QueuePoller {
  readonly concurrency: number;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private warnedNoInvoker = false;

  constructor(
    readonly spec: MappingSpec,
    readonly queue: { readonly arn: string; readonly url: string },
    private readonly context: {
      readonly sqs: SQSClient;
      readonly invoker: () => LambdaInvoker | undefined;
      readonly region: string;
      readonly logger: Logger;
      readonly timing: PollerTiming;
    },
  ) {
    this.concurrency = spec.maximumConcurrency ?? context.timing.defaultConcurrency;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops receiving (an open long poll is abandoned) and waits for the batches in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    const { logger, timing } = this.context;
    let waitingSince: number | undefined;
    while (!this.stopped) {
      if (this.inFlight.size >= this.concurrency) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const invoker = this.context.invoker();
      if (!invoker) {
        // The Lambda service usually starts after this one (it reads queue URLs); only a lasting absence is news.
        waitingSince ??= Date.now();
        if (!this.warnedNoInvoker && Date.now() - waitingSince >= 10 * timing.pollIntervalMs) {
          logger.warn(`No Lambda service runs: ${this.describe()} waits without receiving`);
          this.warnedNoInvoker = true;
        }
        await this.pause(timing.pollIntervalMs);
        continue;
      }
      let batch: Message[];
      try {
        batch = await this.collectBatch();
      } catch (error) {
        if (this.stopped) break;
        logger.warn(`${this.describe()} could not receive: ${(error as Error).message}`);
        await this.pause(timing.pollIntervalMs);
        continue;
      }
      // Messages received while stopping are not handed over; they come back after their visibility timeout.
      if (this.stopped) break;
      if (batch.length === 0) {
        if (timing.waitTimeSeconds === 0) await this.pause(timing.pollIntervalMs);
        continue;
      }
      const processing = this.process(invoker, batch).finally(() => {
        this.inFlight.delete(processing);
        this.wake?.();
      });
      this.inFlight.add(processing);
    }
  }

  private async collectBatch(): Promise<Message[]> {
    const { batchSize, batchingWindowSeconds } = this.spec;
    const batch = await this.receive(Math.min(batchSize, 10), this.context.timing.waitTimeSeconds);
    if (batch.length === 0 || batchingWindowSeconds <= 0) return batch;
    const deadline = Date.now() + batchingWindowSeconds * 1000;
    while (batch.length < batchSize && Date.now() < deadline && !this.stopped) {
      const more = await this.receive(Math.min(batchSize - batch.length, 10), 0);
      for (const message of more) {
        // A window longer than the visibility timeout receives a message again: keep the newest receipt.
        const earlier = batch.findIndex((held) => held.MessageId === message.MessageId);
        if (earlier >= 0) batch.splice(earlier, 1);
        batch.push(message);
      }
      if (more.length === 0) await this.pause(Math.min(this.context.timing.pollIntervalMs, deadline - Date.now()));
    }
    return batch;
  }

  private async receive(max: number, waitTimeSeconds: number): Promise<Message[]> {
    try {
      const answer = await this.context.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue.url,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitTimeSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.abort.signal },
      );
      return answer.Messages ?? [];
    } catch (error) {
      if (this.stopped) return [];
      throw error;
    }
  }

  private async process(invoker: LambdaInvoker, batch: Message[]): Promise<void> {
    const { logger, region } = this.context;
    const fn = this.spec.functionName;
    const event = { Records: batch.map((message) => sqsLambdaRecord(message, this.queue.arn, region)) };
    const returning = `the ${batch.length} message(s) return after the visibility timeout`;
    let done = batch;
    try {
      const result = await invoker.invoke(fn, event);
      if (result.error) {
        logger.warn(`${fn} failed on a batch from ${this.queue.arn} (${result.error.errorType}: ${result.error.errorMessage}); ${returning}`);
        return;
      }
      if (this.spec.reportBatchItemFailures) {
        const response = readBatchResponse(result.payload, new Set(batch.map((message) => message.MessageId ?? '')));
        if ('invalid' in response) {
          logger.warn(`${fn} answered a batch from ${this.queue.arn} with an invalid partial batch response (${response.invalid}); ${returning}`);
          return;
        }
        done = batch.filter((message) => !response.failed.has(message.MessageId ?? ''));
      }
    } catch (error) {
      logger.warn(`${fn} could not be invoked for a batch from ${this.queue.arn} (${(error as Error).message}); ${returning}`);
      return;
    }
    await this.delete(done);
  }

  private async delete(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      try {
        const answer = await this.context.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queue.url,
            Entries: chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
        for (const failure of answer.Failed ?? []) this.context.logger.warn(`${this.describe()} could not delete a message: ${failure.Code} ${failure.Message ?? ''}`);
      } catch (error) {
        this.context.logger.warn(`${this.describe()} could not delete ${chunk.length} message(s): ${(error as Error).message}`);
      }
    }
  }

  /** Waits, or less when the poller stops. */
  private pause(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  /** `<queue> → <function>` with its settings, for logs and the banner. */
  describe(): string {
    const { spec } = this;
    const settings = [
      `batch ${spec.batchSize}`,
      `window ${spec.batchingWindowSeconds} s`,
      ...(spec.reportBatchItemFailures ? ['partial batch failures'] : []),
      `concurrency ${this.concurrency}`,
    ];
    return `event source mapping ${this.queue.arn} → ${spec.functionName} (${settings.join(', ')})`;
  }
}
