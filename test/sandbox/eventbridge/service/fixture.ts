import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LogSink } from '../../../../sandbox/core/logger';
import { Sandbox } from '../../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../../sandbox/model/platform-model';
import type { Caller, GraphqlEngine, GraphqlRequest, GraphqlResponse } from '../../../../sandbox/services/appsync/contracts';
import { APPSYNC_ENGINE } from '../../../../sandbox/services/appsync/service';
import { endpointCapability, SNS_PUBLISHER, SQS_SENDER, type MessageAttributes, type QueueSender, type TopicPublisher } from '../../../../sandbox/services/capabilities';
import { eventBridgeService, type EventBridgeServiceOptions } from '../../../../sandbox/services/eventbridge';
import { LAMBDA_INVOKER, LambdaServiceError, type InvokeOptions, type LambdaInvoker } from '../../../../sandbox/services/lambda/contracts';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const BUS = 'orders-test-bus';
export const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${BUS}`;
export const DEFAULT_BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
export const DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:rule-targets-dlq`;
export const SCHEDULER_DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:scheduler-dlq`;
export const FIFO_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:big-orders.fifo`;
export const NIGHTLY_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:nightly`;
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:order-notifications`;
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:fulfilment`;
export const GRAPHQL_ARN = `arn:aws:appsync:${REGION}:${ACCOUNT}:endpoints/graphql-api/abcdefghijklmnopqrstuvwxyz`;
export const APPSYNC_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service/events-appsync`;
export const PUBLISH_OPERATION = 'mutation Publish($orderId: ID!, $status: String!) { publishOrderUpdate(orderId: $orderId, status: $status) { orderId status } }';

export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

const retry = (attempts: number, age = 3600) => ({ maximum_event_age_in_seconds: age, maximum_retry_attempts: attempts });

/**
 * The `events` stack of the fixture: a custom bus with a policy and an archive, pattern rules using several
 * operators with a target of each kind (retry policies, DLQs, an input transformer, an AppSync target), a
 * cross-bus rule, a disabled rule, a rate(1 minute) rule on the default bus, two Scheduler schedules and an
 * AMAZON_EVENTBRIDGE AppSync data source.
 */
export function eventsStack(): Record<string, unknown> {
  return {
    provider: { aws: [{ region: REGION, allowed_account_ids: [ACCOUNT] }] },
    resource: {
      aws_cloudwatch_event_bus: { orders: { name: BUS } },
      aws_cloudwatch_event_bus_policy: { orders: { event_bus_name: '${aws_cloudwatch_event_bus.orders.name}', policy: '{"Version":"2012-10-17","Statement":[]}' } },
      aws_cloudwatch_event_archive: {
        orders: {
          name: 'orders-archive',
          event_source_arn: '${aws_cloudwatch_event_bus.orders.arn}',
          event_pattern: JSON.stringify({ source: [{ prefix: 'orders.' }] }),
          retention_days: 7,
        },
      },
      aws_cloudwatch_event_rule: {
        completed: {
          name: 'order-completed',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          event_pattern: JSON.stringify({ source: ['orders.service'], 'detail-type': ['OrderStatusChanged'], detail: { data: { status: ['COMPLETED'] } } }),
        },
        big_orders: {
          name: 'big-orders',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          event_pattern: JSON.stringify({
            source: [{ prefix: 'orders.' }],
            'detail-type': ['OrderCreated'],
            detail: { data: { total: [{ numeric: ['>=', 100] }], currency: [{ 'anything-but': ['XXX'] }] } },
          }),
        },
        notifications: {
          name: 'customer-notifications',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          event_pattern: JSON.stringify({ 'detail-type': [{ wildcard: 'Order*' }], detail: { data: { customerEmail: [{ exists: true }] } } }),
        },
        status_updates: {
          name: 'order-status-to-appsync',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          event_pattern: JSON.stringify({ 'detail-type': ['OrderStatusChanged'], detail: { data: { status: [{ 'anything-but': { prefix: 'INTERNAL' } }] } } }),
        },
        fulfilment: {
          name: 'fulfilment',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          event_pattern: JSON.stringify({ 'detail-type': ['OrderPaid'] }),
        },
        forward: {
          name: 'forward-to-default',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          event_pattern: JSON.stringify({ 'detail-type': ['AuditRequested'] }),
        },
        audit: { name: 'audit', event_pattern: JSON.stringify({ 'detail-type': ['AuditRequested'] }) },
        retired: {
          name: 'retired',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          event_pattern: JSON.stringify({ source: [{ exists: true }] }),
          state: 'DISABLED',
        },
        heartbeat: { name: 'heartbeat', schedule_expression: 'rate(1 minute)' },
      },
      aws_cloudwatch_event_target: {
        loyalty: {
          rule: '${aws_cloudwatch_event_rule.completed.name}',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          target_id: 'loyalty',
          arn: functionArn('award-loyalty-points'),
          retry_policy: retry(2),
          dead_letter_config: { arn: DLQ_ARN },
        },
        big_orders: {
          rule: '${aws_cloudwatch_event_rule.big_orders.name}',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          target_id: 'big-orders-queue',
          arn: FIFO_QUEUE_ARN,
          sqs_target: { message_group_id: 'big-orders' },
          input_transformer: {
            input_paths: { orderId: '$.detail.data.orderId', total: '$.detail.data.total', rule: '$.source' },
            input_template: '{"order": <orderId>, "amount": <total>, "from": <rule>, "matchedBy": <aws.events.rule-name>}',
          },
          retry_policy: retry(1),
          dead_letter_config: { arn: DLQ_ARN },
        },
        notifications: {
          rule: '${aws_cloudwatch_event_rule.notifications.name}',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          target_id: 'notifications-topic',
          arn: TOPIC_ARN,
          input_path: '$.detail.data',
          retry_policy: retry(1),
          dead_letter_config: { arn: DLQ_ARN },
        },
        status_updates: {
          rule: '${aws_cloudwatch_event_rule.status_updates.name}',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          target_id: 'publish-order-update',
          arn: GRAPHQL_ARN,
          role_arn: APPSYNC_ROLE_ARN,
          appsync_target: { graphql_operation: PUBLISH_OPERATION },
          input_transformer: {
            input_paths: { orderId: '$.detail.data.orderId', status: '$.detail.data.status' },
            input_template: '{"orderId": <orderId>, "status": <status>}',
          },
          retry_policy: retry(1),
          dead_letter_config: { arn: DLQ_ARN },
        },
        fulfilment: {
          rule: '${aws_cloudwatch_event_rule.fulfilment.name}',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          target_id: 'fulfilment-workflow',
          arn: STATE_MACHINE_ARN,
          role_arn: `arn:aws:iam::${ACCOUNT}:role/events-sfn`,
          retry_policy: retry(5),
          dead_letter_config: { arn: DLQ_ARN },
        },
        forward: {
          rule: '${aws_cloudwatch_event_rule.forward.name}',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          target_id: 'default-bus',
          arn: DEFAULT_BUS_ARN,
          role_arn: `arn:aws:iam::${ACCOUNT}:role/events-forward`,
        },
        audit: { rule: '${aws_cloudwatch_event_rule.audit.name}', target_id: 'audit', arn: functionArn('write-audit-record'), retry_policy: retry(0) },
        retired: {
          rule: '${aws_cloudwatch_event_rule.retired.name}',
          event_bus_name: '${aws_cloudwatch_event_bus.orders.name}',
          target_id: 'retired',
          arn: functionArn('retired'),
        },
        heartbeat: { rule: '${aws_cloudwatch_event_rule.heartbeat.name}', target_id: 'heartbeat', arn: functionArn('heartbeat'), input: '{"ping":true}' },
      },
      aws_scheduler_schedule_group: { ops: { name: 'ops' } },
      aws_scheduler_schedule: {
        sweeper: {
          name: 'republish-outbox',
          group_name: '${aws_scheduler_schedule_group.ops.name}',
          schedule_expression: 'rate(1 minute)',
          flexible_time_window: { mode: 'OFF' },
          target: {
            arn: functionArn('republish-outbox'),
            role_arn: `arn:aws:iam::${ACCOUNT}:role/scheduler-invoke`,
            input: '{"schedule":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","attempt":<aws.scheduler.attempt-number>}',
            retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 1 },
            dead_letter_config: { arn: SCHEDULER_DLQ_ARN },
          },
        },
        nightly: {
          name: 'nightly-report',
          schedule_expression: 'cron(0 3 * * ? *)',
          schedule_expression_timezone: 'Europe/Paris',
          flexible_time_window: { mode: 'FLEXIBLE', maximum_window_in_minutes: 15 },
          target: { arn: NIGHTLY_QUEUE_ARN, role_arn: `arn:aws:iam::${ACCOUNT}:role/scheduler-send`, input: '{"report":"nightly"}' },
        },
        to_bus: {
          name: 'hourly-tick',
          schedule_expression: 'cron(0 * * * ? *)',
          flexible_time_window: { mode: 'OFF' },
          target: {
            arn: '${aws_cloudwatch_event_bus.orders.arn}',
            role_arn: `arn:aws:iam::${ACCOUNT}:role/scheduler-put`,
            input: '{"tick":"<aws.scheduler.scheduled-time>"}',
            eventbridge_parameters: { detail_type: 'ClockTicked', source: 'orders.clock' },
          },
        },
        paused: {
          name: 'paused',
          schedule_expression: 'rate(1 minute)',
          state: 'DISABLED',
          flexible_time_window: { mode: 'OFF' },
          target: { arn: functionArn('paused'), role_arn: `arn:aws:iam::${ACCOUNT}:role/scheduler-invoke` },
        },
      },
      aws_appsync_datasource: {
        events: { api_id: 'api', name: 'events', type: 'AMAZON_EVENTBRIDGE', event_bridge_config: { event_bus_arn: '${aws_cloudwatch_event_bus.orders.arn}' } },
      },
    },
    output: {
      bus_arn: { value: '${aws_cloudwatch_event_bus.orders.arn}' },
      rule_arn: { value: '${aws_cloudwatch_event_rule.completed.arn}' },
      rule_id: { value: '${aws_cloudwatch_event_rule.completed.id}' },
      default_rule_id: { value: '${aws_cloudwatch_event_rule.audit.id}' },
      default_rule_arn: { value: '${aws_cloudwatch_event_rule.audit.arn}' },
      target_id: { value: '${aws_cloudwatch_event_target.loyalty.id}' },
      default_target_id: { value: '${aws_cloudwatch_event_target.audit.id}' },
      archive_arn: { value: '${aws_cloudwatch_event_archive.orders.arn}' },
      schedule_arn: { value: '${aws_scheduler_schedule.sweeper.arn}' },
      schedule_id: { value: '${aws_scheduler_schedule.sweeper.id}' },
      group_arn: { value: '${aws_scheduler_schedule_group.ops.arn}' },
    },
  };
}

/** Writes a `cdktf.out`-like folder holding one stack. */
export function writePlatform(outdir: string, stack: Record<string, unknown> = eventsStack()): string {
  mkdirSync(join(outdir, 'stacks', 'events'), { recursive: true });
  writeFileSync(join(outdir, 'stacks', 'events', 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({ stacks: { events: { name: 'events', dependencies: [], synthesizedStackPath: 'stacks/events/cdk.tf.json' } }, version: '0.21.0' }),
  );
  return outdir;
}

/** A Lambda invoker recording invocations; `failNext(fn, n)` makes the next n invoke calls of a function fail. */
export class FakeLambda implements LambdaInvoker {
  readonly invocations: { functionName: string; event: unknown; options?: InvokeOptions }[] = [];
  private readonly failures = new Map<string, { remaining: number; error: Error }>();

  failNext(functionName: string, count: number, error: Error = new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.')): void {
    this.failures.set(functionName, { remaining: count, error });
  }

  of(functionName: string): unknown[] {
    return this.invocations.filter((invocation) => invocation.functionName === functionName).map((invocation) => invocation.event);
  }

  async invoke(functionNameOrArn: string, event: unknown, options?: InvokeOptions) {
    const functionName = functionNameOrArn.split(':').at(-1) as string;
    const failure = this.failures.get(functionName);
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      throw failure.error;
    }
    this.invocations.push({ functionName, event, ...(options ? { options } : {}) });
    return { requestId: `req-${this.invocations.length}`, payload: undefined, logs: [] };
  }
}

/** An SQS sender recording messages. */
export class FakeQueues implements QueueSender {
  readonly messages: { queue: string; body: string; messageAttributes?: MessageAttributes; messageGroupId?: string; deduplicationId?: string }[] = [];

  of(queueArn: string) {
    return this.messages.filter((message) => message.queue === queueArn);
  }

  async sendMessage(queue: string, body: string, options: Parameters<QueueSender['sendMessage']>[2] = {}) {
    this.messages.push({ queue, body, ...options });
    return { messageId: `msg-${this.messages.length}` };
  }
}

/** An SNS publisher recording messages. */
export class FakeTopics implements TopicPublisher {
  readonly messages: { topic: string; message: string }[] = [];

  async publish(topic: string, message: string) {
    this.messages.push({ topic, message });
    return { messageId: `sns-${this.messages.length}` };
  }
}

/** An AppSync engine recording `execute` calls; `failNext(n)` answers the next n with a GraphQL error. */
export class FakeAppSync implements Pick<GraphqlEngine, 'execute'> {
  readonly calls: { request: GraphqlRequest; caller: Caller; headers: Readonly<Record<string, string | undefined>> }[] = [];
  private failures = 0;

  failNext(count: number): void {
    this.failures = count;
  }

  async execute(request: GraphqlRequest, caller: Caller, headers: Readonly<Record<string, string | undefined>>): Promise<GraphqlResponse> {
    this.calls.push({ request, caller, headers });
    if (this.failures > 0) {
      this.failures -= 1;
      return { data: null, errors: [{ message: 'Not Authorized to access publishOrderUpdate on type Mutation', errorType: 'Unauthorized' }] };
    }
    return { data: { publishOrderUpdate: request.variables ?? null } };
  }
}

/** The fakes every test registers. */
export interface Fakes {
  lambda: FakeLambda;
  queues: FakeQueues;
  topics: FakeTopics;
  appsync: FakeAppSync;
}

/** A sandbox running only EventBridge over `outdir`, with fake targets registered and log lines collected. */
export async function startEventBridgeSandbox(outdir: string, dataRoot: string, options: EventBridgeServiceOptions = {}) {
  const logs: Parameters<LogSink>[0][] = [];
  const model = new PlatformModel(outdir);
  const service = eventBridgeService({ port: 0, timeScale: 1000, scheduleTimers: false, ...options });
  const sandbox = new Sandbox({ model, services: [service], dataRoot, sink: (line) => logs.push(line) });
  const fakes: Fakes = { lambda: new FakeLambda(), queues: new FakeQueues(), topics: new FakeTopics(), appsync: new FakeAppSync() };
  sandbox.registry.provide(LAMBDA_INVOKER, fakes.lambda);
  sandbox.registry.provide(SQS_SENDER, fakes.queues);
  sandbox.registry.provide(SNS_PUBLISHER, fakes.topics);
  sandbox.registry.provide(APPSYNC_ENGINE, fakes.appsync);
  await sandbox.start();
  const endpoint = sandbox.registry.require<string>(endpointCapability('EVENTBRIDGE'));
  const client = new EventBridgeClient({ endpoint, region: REGION, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } });
  const stop = async () => {
    client.destroy();
    await sandbox.stop();
  };
  return { sandbox, model, service, inspect: service.inspect, fakes, client, endpoint, logs, stop };
}

/** An OrderStatusChanged entry for PutEvents. */
export function statusChanged(orderId: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    EventBusName: BUS,
    Source: 'orders.service',
    DetailType: 'OrderStatusChanged',
    Detail: JSON.stringify({ eventId: `OrderStatusChanged:${orderId}:${status}`, eventVersion: 1, data: { orderId, status, ...extra } }),
  };
}
