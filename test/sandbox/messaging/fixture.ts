import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LogSink } from '../../../sandbox/core/logger';
import type { SandboxService } from '../../../sandbox/core/service';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { EVENTBRIDGE_PUBLISHER, type EventPublisher, type PutEventsEntry } from '../../../sandbox/services/capabilities';
import { LAMBDA_INVOKER, type InvokeOptions, type InvokeResult, type LambdaInvoker } from '../../../sandbox/services/lambda/contracts';
import { MESSAGING_INSPECT, messagingService, type MessagingInspector, type MessagingServiceOptions } from '../../../sandbox/services/messaging';

// The SDK's Node 20 deprecation notice is noise here, as in `npm start`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const arn = (service: 'sqs' | 'sns', name: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}`;

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

const dlqPolicy = (dlq: string, maxReceiveCount: number) => `{"deadLetterTargetArn":"\${aws_sqs_queue.${dlq}.arn}","maxReceiveCount":${maxReceiveCount}}`;

/**
 * The `fanout` stack of the fixture, as cdktf would synthesize it:
 * - `orders` (DLQ `orders-dlq` after 2 receives) → `orders-consumer`, reporting partial batch failures, at most 2 batches at once;
 * - `strict` (DLQ after 3) → `strict-consumer`, without partial batch failures;
 * - `batched` (visibility 5 s) → `batched-consumer`, batches of 3 within a 1 s window, filter criteria (not applied);
 *   `paused` → a disabled mapping; `late` gets its DLQ from an `aws_sqs_queue_redrive_policy`;
 * - topic `order-notifications` → SQS `push` (filter on the `eventType` attribute), SQS `email` (raw), SQS `audit`
 *   (wrapped, no filter) and Lambda `notify` (filter `eventType` anything but `Noise`);
 * - bucket `media-bucket` → topic `media-uploads` for objects created under `products/`, queue `removals` for deleted
 *   `.json` objects, Lambda `import-csv` for `imports/*.csv` puts, and EventBridge; `media-uploads` → SQS `thumbnails`;
 * - a DynamoDB stream mapping the service must leave alone, and resources it only accepts.
 * Other visibility timeouts are 1 s so retries come quickly.
 */
export function writePlatform(outdir: string): string {
  const queue = (name: string, extra: Record<string, unknown> = {}) => ({ name, visibility_timeout_seconds: 1, ...extra });
  const subscription = (topic: string, protocol: string, endpoint: string, extra: Record<string, unknown> = {}) => ({
    topic_arn: `\${aws_sns_topic.${topic}.arn}`,
    protocol,
    endpoint,
    ...extra,
  });
  const stack = {
    provider: { aws: [{ region: REGION, allowed_account_ids: [ACCOUNT] }] },
    resource: {
      aws_sqs_queue: {
        orders_dlq: queue('orders-dlq'),
        orders: queue('orders', { redrive_policy: dlqPolicy('orders_dlq', 2), message_retention_seconds: 1209600, kms_master_key_id: 'alias/platform' }),
        strict_dlq: queue('strict-dlq'),
        strict: queue('strict', { redrive_policy: dlqPolicy('strict_dlq', 3) }),
        batched: queue('batched', { visibility_timeout_seconds: 5 }),
        paused: queue('paused'),
        push: queue('push'),
        email: queue('email'),
        audit: queue('audit'),
        thumbnails: queue('thumbnails'),
        removals: queue('removals'),
        ledger: { name: 'ledger.fifo', fifo_queue: true, content_based_deduplication: true },
        late: queue('late'),
      },
      aws_sqs_queue_redrive_policy: { late: { queue_url: '${aws_sqs_queue.late.id}', redrive_policy: dlqPolicy('orders_dlq', 4) } },
      aws_sqs_queue_policy: { orders: { queue_url: '${aws_sqs_queue.orders.url}', policy: '{}' } },
      aws_sns_topic: {
        notifications: { name: 'order-notifications' },
        media_uploads: { name: 'media-uploads' },
      },
      aws_sns_topic_policy: { media_uploads: { arn: '${aws_sns_topic.media_uploads.arn}', policy: '{}' } },
      aws_sns_topic_subscription: {
        push: subscription('notifications', 'sqs', '${aws_sqs_queue.push.arn}', {
          filter_policy: JSON.stringify({ eventType: ['OrderShipped', 'OrderDelivered'] }),
          filter_policy_scope: 'MessageAttributes',
        }),
        email: subscription('notifications', 'sqs', '${aws_sqs_queue.email.arn}', { raw_message_delivery: true }),
        audit: subscription('notifications', 'sqs', '${aws_sqs_queue.audit.arn}'),
        notify: subscription('notifications', 'lambda', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:notify`, {
          filter_policy: JSON.stringify({ eventType: [{ 'anything-but': 'Noise' }] }),
        }),
        thumbnails: subscription('media_uploads', 'sqs', '${aws_sqs_queue.thumbnails.arn}'),
      },
      aws_s3_bucket: { media: { bucket: 'media-bucket' } },
      aws_s3_bucket_public_access_block: { media: { bucket: '${aws_s3_bucket.media.id}', block_public_acls: true } },
      aws_s3_bucket_notification: {
        media: {
          bucket: '${aws_s3_bucket.media.id}',
          eventbridge: true,
          topic: [{ id: 'product-images', topic_arn: '${aws_sns_topic.media_uploads.arn}', events: ['s3:ObjectCreated:*'], filter_prefix: 'products/' }],
          queue: [{ id: 'removed-json', queue_arn: '${aws_sqs_queue.removals.arn}', events: ['s3:ObjectRemoved:*'], filter_suffix: '.json' }],
          lambda_function: [
            { id: 'csv-import', lambda_function_arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:import-csv`, events: ['s3:ObjectCreated:Put'], filter_prefix: 'imports/', filter_suffix: '.csv' },
          ],
        },
      },
      aws_lambda_event_source_mapping: {
        orders: {
          event_source_arn: '${aws_sqs_queue.orders.arn}',
          function_name: 'orders-consumer',
          batch_size: 10,
          function_response_types: ['ReportBatchItemFailures'],
          scaling_config: [{ maximum_concurrency: 2 }],
        },
        strict: { event_source_arn: '${aws_sqs_queue.strict.arn}', function_name: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:strict-consumer`, batch_size: 5 },
        batched: {
          event_source_arn: '${aws_sqs_queue.batched.arn}',
          function_name: 'batched-consumer',
          batch_size: 3,
          maximum_batching_window_in_seconds: 1,
          filter_criteria: [{ filter: [{ pattern: '{"body":{"kind":["batch"]}}' }] }],
        },
        paused: { event_source_arn: '${aws_sqs_queue.paused.arn}', function_name: 'paused-consumer', enabled: false },
        stream: { event_source_arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders/stream/2024-01-01T00:00:00.000`, function_name: 'stream-consumer', starting_position: 'LATEST' },
      },
    },
    output: {
      orders_url: { value: '${aws_sqs_queue.orders.url}' },
      orders_id: { value: '${aws_sqs_queue.orders.id}' },
      orders_arn: { value: '${aws_sqs_queue.orders.arn}' },
      topic_arn: { value: '${aws_sns_topic.notifications.arn}' },
      topic_id: { value: '${aws_sns_topic.notifications.id}' },
      subscription_arn: { value: '${aws_sns_topic_subscription.email.arn}' },
      bucket_arn: { value: '${aws_s3_bucket.media.arn}' },
      bucket_id: { value: '${aws_s3_bucket.media.id}' },
      bucket_name: { value: '${aws_s3_bucket.media.bucket}' },
      bucket_domain: { value: '${aws_s3_bucket.media.bucket_domain_name}' },
      bucket_regional_domain: { value: '${aws_s3_bucket.media.bucket_regional_domain_name}' },
      mapping_uuid: { value: '${aws_lambda_event_source_mapping.orders.uuid}' },
      mapping_function_arn: { value: '${aws_lambda_event_source_mapping.orders.function_arn}' },
    },
  };
  mkdirSync(join(outdir, 'stacks', 'fanout'), { recursive: true });
  writeFileSync(join(outdir, 'stacks', 'fanout', 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({ stacks: { fanout: { name: 'fanout', dependencies: [], synthesizedStackPath: 'stacks/fanout/cdk.tf.json' } }, version: '0.21.0' }),
  );
  return outdir;
}

/** One invocation the fake Lambda service received. */
export interface Invocation {
  readonly functionName: string;
  readonly event: unknown;
  readonly invocationType: string;
  readonly at: number;
}

/** What a fake function does with an event: its payload, or an error. */
export type FakeHandler = (event: unknown) => Pick<InvokeResult, 'payload' | 'error'> | Promise<Pick<InvokeResult, 'payload' | 'error'>>;

/** A Lambda invoker that records invocations and answers through per-function handlers (default: `null`). */
export class FakeLambda implements LambdaInvoker {
  readonly invocations: Invocation[] = [];
  readonly handlers = new Map<string, FakeHandler>();

  async invoke(functionNameOrArn: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const functionName = functionNameOrArn.split(':function:').pop() as string;
    this.invocations.push({ functionName, event, invocationType: options.invocationType ?? 'RequestResponse', at: Date.now() });
    const outcome = options.invocationType === 'Event' ? { payload: undefined } : ((await this.handlers.get(functionName)?.(event)) ?? { payload: null });
    return { requestId: `req-${this.invocations.length}`, logs: [], ...outcome };
  }

  of(functionName: string): Invocation[] {
    return this.invocations.filter((invocation) => invocation.functionName === functionName);
  }
}

/** An EventBridge publisher that records entries. */
export class FakeBus implements EventPublisher {
  readonly entries: PutEventsEntry[] = [];

  async putEvents(entries: readonly PutEventsEntry[]) {
    this.entries.push(...entries);
    return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `event-${this.entries.length - entries.length + index}` })) };
  }
}

/** A service standing in for the Lambda and EventBridge services. */
function fakeServices(lambda: FakeLambda | undefined, bus: FakeBus | undefined): SandboxService {
  return {
    name: 'fakes',
    runs: [],
    async start(context) {
      if (lambda) context.registry.provide(LAMBDA_INVOKER, lambda);
      if (bus) context.registry.provide(EVENTBRIDGE_PUBLISHER, bus);
    },
    stop: async () => undefined,
  };
}

/** A running messaging sandbox over the fixture, with fakes for Lambda and EventBridge and SDK clients on its endpoint. */
export interface MessagingFixture {
  readonly sandbox: Sandbox;
  readonly model: PlatformModel;
  readonly lambda: FakeLambda;
  readonly bus: FakeBus;
  readonly logs: Parameters<LogSink>[0][];
  readonly inspect: MessagingInspector;
  readonly endpoint: string;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  stop(): Promise<void>;
}

/** Starts the messaging service (port 0, short polls) over `outdir`, after the fakes. */
export async function startMessaging(
  outdir: string,
  options: { service?: MessagingServiceOptions; withBus?: boolean; withLambda?: boolean; lambda?: FakeLambda } = {},
): Promise<MessagingFixture> {
  const logs: Parameters<LogSink>[0][] = [];
  const model = new PlatformModel(outdir);
  const lambda = options.lambda ?? new FakeLambda();
  const bus = new FakeBus();
  const sandbox = new Sandbox({
    model,
    services: [fakeServices(options.withLambda === false ? undefined : lambda, options.withBus === false ? undefined : bus), messagingService({ port: 0, pollIntervalMs: 50, ...options.service })],
    sink: (line) => logs.push(line),
  });
  await sandbox.start();
  const inspect = sandbox.registry.require<MessagingInspector>(MESSAGING_INSPECT);
  const config = { endpoint: inspect.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  // No forcePathStyle: the SDK picks path-style URLs by itself for an IP endpoint, as in the functions.
  const clients = { sqs: new SQSClient(config), sns: new SNSClient(config), s3: new S3Client(config) };
  return {
    sandbox,
    model,
    lambda,
    bus,
    logs,
    inspect,
    endpoint: inspect.endpoint,
    ...clients,
    async stop() {
      clients.sqs.destroy();
      clients.sns.destroy();
      clients.s3.destroy();
      await sandbox.stop();
    },
  };
}

/** Polls `check` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 5000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
