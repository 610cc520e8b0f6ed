import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { EVENT_CATALOG } from '../../events/catalog';
import envelopeSchema from '../../events/schemas/envelope.schema.json';
import { ref, resource, statementsOf } from './constructs/harness';
import { resourcesOf, synthPlatform } from './synth';
import { fromStack, ordersTableAccess, policiesOf } from './references';

/** A resource-policy statement refusing any request made without TLS. */
function denyInsecureTransport(actions: string[], resourceArn: string): Record<string, unknown> {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: [{ type: 'AWS', identifiers: ['*'] }],
    actions,
    resources: [resourceArn],
    condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
  };
}

const CUSTOMER_FACING = ['OrderCreated', 'OrderCancelled', 'OrderStatusChanged', 'OrderCompleted', 'OrderFailed'];

/** Each channel: its construct id, queue name, consumer name and the name of the policy its stack grant becomes. */
const CHANNELS = [
  { id: 'email', queue: 'orders-local-notify-email', fn: 'orders-local-send-order-email', grant: 'send-email' },
  { id: 'push', queue: 'orders-local-notify-push', fn: 'orders-local-send-push-notification', grant: 'inbox' },
  { id: 'audit', queue: 'orders-local-audit', fn: 'orders-local-write-audit-record', grant: 'audit-log' },
];

describe('NotificationsStack', () => {
  const { notifications } = synthPlatform('local');
  const prod = synthPlatform('prod').notifications;
  const topicArn = ref(notifications.doc, 'aws_sns_topic', 'order-notifications/topic', 'arn');
  const keyArn = fromStack('data', 'aws_kms_key', 'platform-key/key', 'arn');
  const tableArn = fromStack('data', 'aws_dynamodb_table', 'orders-table/table', 'arn');
  const tableName = fromStack('data', 'aws_dynamodb_table', 'orders-table/table', 'name');
  const ruleArn = 'arn:aws:events:us-east-1:000000000000:rule/orders-local-bus/orders-local-customer-notifications';
  const tableAccess = ordersTableAccess(tableArn, keyArn);

  const grants: Record<string, Record<string, unknown>[]> = {
    email: [
      ...tableAccess,
      {
        sid: 'SendFromTheOrdersAddress',
        effect: 'Allow',
        actions: ['ses:SendEmail'],
        resources: [ref(notifications.doc, 'aws_sesv2_email_identity', 'email-sender', 'arn')],
        condition: [{ test: 'StringEquals', variable: 'ses:FromAddress', values: ['orders@example.com'] }],
      },
    ],
    push: tableAccess,
    audit: tableAccess,
  };

  describe('the rule', () => {
    it('matches the five customer-facing order events from the API and fulfilment on the orders bus', () => {
      expect(notifications.json).toHaveResourceWithProperties(CloudwatchEventRule, {
        name: 'orders-local-customer-notifications',
        event_bus_name: fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'name'),
        state: 'ENABLED',
      });
      const rule = resource(notifications.doc, 'aws_cloudwatch_event_rule', 'to-notifications/rule');
      const pattern = JSON.parse(String(rule.event_pattern)) as { source: string[]; 'detail-type': string[] };
      expect(pattern).toEqual({ source: ['orders.api', 'orders.fulfilment'], 'detail-type': CUSTOMER_FACING });
      // Every event the rule asks for is published under one of the sources it listens to.
      for (const detailType of CUSTOMER_FACING) expect(pattern.source).toContain(EVENT_CATALOG[detailType as keyof typeof EVENT_CATALOG].source);
    });

    it('publishes to the topic with the environment\'s retry policy, then dead-letters to the bus DLQ', () => {
      expect(notifications.json).toHaveResourceWithProperties(CloudwatchEventTarget, {
        rule: ref(notifications.doc, 'aws_cloudwatch_event_rule', 'to-notifications/rule', 'name'),
        event_bus_name: fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'name'),
        target_id: 'orders-local-customer-notifications',
        arn: topicArn,
        retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 8 },
        dead_letter_config: { arn: fromStack('events', 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn') },
      });
      expect(resource(notifications.doc, 'aws_cloudwatch_event_target', 'to-notifications/target')).not.toHaveProperty('input_transformer');
      expect(resource(prod.doc, 'aws_cloudwatch_event_target', 'to-notifications/target').retry_policy).toEqual({
        maximum_event_age_in_seconds: 86_400,
        maximum_retry_attempts: 185,
      });
    });
  });

  describe('the topic', () => {
    it('is encrypted with the platform key and traced', () => {
      expect(notifications.json).toHaveResourceWithProperties(SnsTopic, { name: 'orders-local-order-notifications', kms_master_key_id: keyArn, tracing_config: 'Active' });
    });

    it('refuses publishing without TLS and lets EventBridge publish for that one rule of this account', () => {
      const policy = resource(notifications.doc, 'aws_sns_topic_policy', 'order-notifications/topic-policy');
      expect(policy.arn).toBe(topicArn);
      expect(statementsOf(notifications.doc, policy.policy)).toEqual([
        denyInsecureTransport(['sns:Publish'], topicArn),
        {
          sid: 'PublishFromEvents1',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sns:Publish'],
          resources: [topicArn],
          condition: [
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [ruleArn] },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['000000000000'] },
          ],
        },
      ]);
      const rule = resource(notifications.doc, 'aws_cloudwatch_event_rule', 'to-notifications/rule');
      const bus = resource(synthPlatform('local').events.doc, 'aws_cloudwatch_event_bus', 'bus/bus');
      expect(ruleArn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${String(bus.name)}/${String(rule.name)}`);
    });

    it('delivers raw messages to a queue per channel; only push filters, on shipped status changes in the body', () => {
      const subscriptions = resourcesOf(notifications.doc, 'aws_sns_topic_subscription');
      expect(subscriptions).toHaveLength(3);
      for (const { id } of CHANNELS) {
        expect(notifications.json).toHaveResourceWithProperties(SnsTopicSubscription, {
          topic_arn: topicArn,
          protocol: 'sqs',
          endpoint: ref(notifications.doc, 'aws_sqs_queue', `order-notifications/${id}/queue/queue`, 'arn'),
          raw_message_delivery: true,
        });
      }
      const push = resource(notifications.doc, 'aws_sns_topic_subscription', 'order-notifications/push-subscription');
      expect(JSON.parse(String(push.filter_policy))).toEqual({ 'detail-type': ['OrderStatusChanged'], detail: { data: { status: ['SHIPPED'] } } });
      expect(push.filter_policy_scope).toBe('MessageBody');
      expect(envelopeSchema.definitions.status.enum).toContain('SHIPPED');
      for (const id of ['email', 'audit']) {
        const subscription = resource(notifications.doc, 'aws_sns_topic_subscription', `order-notifications/${id}-subscription`);
        expect(subscription).not.toHaveProperty('filter_policy');
        expect(subscription).not.toHaveProperty('filter_policy_scope');
      }
    });
  });

  describe.each(CHANNELS)('the $id channel', ({ id, queue, fn, grant }) => {
    const path = `order-notifications/${id}`;
    const queueArn = ref(notifications.doc, 'aws_sqs_queue', `${path}/queue/queue`, 'arn');
    const dlqArn = ref(notifications.doc, 'aws_sqs_queue', `${path}/queue/dlq`, 'arn');
    const consumer = resource(notifications.doc, 'aws_lambda_function', `${path}/function/function`);

    it(`queues in ${queue}, encrypted, hidden for 6 × its consumer's timeout and dead-lettered after the environment's receives`, () => {
      expect(notifications.json).toHaveResourceWithProperties(SqsQueue, {
        name: queue,
        kms_master_key_id: keyArn,
        visibility_timeout_seconds: 6 * Number(consumer.timeout),
      });
      const created = resource(notifications.doc, 'aws_sqs_queue', `${path}/queue/queue`);
      expect(created.visibility_timeout_seconds).toBe(60);
      expect(JSON.parse(String(created.redrive_policy))).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
      const prodQueue = resource(prod.doc, 'aws_sqs_queue', `${path}/queue/queue`);
      expect(JSON.parse(String(prodQueue.redrive_policy)).maxReceiveCount).toBe(5);
      expect(notifications.json).toHaveResourceWithProperties(SqsQueue, { name: `${queue}-dlq`, kms_master_key_id: keyArn, message_retention_seconds: 1_209_600 });
    });

    it('refuses requests without TLS and lets SNS send from the topic only', () => {
      const policy = resource(notifications.doc, 'aws_sqs_queue_policy', `${path}/queue/queue-policy`);
      expect(policy.queue_url).toBe(ref(notifications.doc, 'aws_sqs_queue', `${path}/queue/queue`, 'url'));
      expect(statementsOf(notifications.doc, policy.policy)).toEqual([
        denyInsecureTransport(['sqs:*'], queueArn),
        {
          sid: 'SendFromSns1',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [queueArn],
          condition: [
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [topicArn] },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['000000000000'] },
          ],
        },
      ]);
      const dlqPolicy = resource(notifications.doc, 'aws_sqs_queue_policy', `${path}/queue/dlq-queue-policy`);
      expect(statementsOf(notifications.doc, dlqPolicy.policy)).toEqual([denyInsecureTransport(['sqs:*'], dlqArn)]);
    });

    it('notifies the alarm topic as soon as its DLQ holds one message', () => {
      const alarmTopic = fromStack('data', 'aws_sns_topic', 'alarms', 'arn');
      expect(notifications.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `${queue}-dlq-not-empty`,
        dimensions: { QueueName: ref(notifications.doc, 'aws_sqs_queue', `${path}/queue/dlq`, 'name') },
        metric_name: 'ApproximateNumberOfMessagesVisible',
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        alarm_actions: [alarmTopic],
        ok_actions: [alarmTopic],
      });
    });

    it('is drained in batches of 10 within a second, reporting partial batch failures', () => {
      expect(notifications.json).toHaveResourceWithProperties(LambdaEventSourceMapping, {
        event_source_arn: queueArn,
        function_name: ref(notifications.doc, 'aws_lambda_function', `${path}/function/function`, 'function_name'),
        batch_size: 10,
        maximum_batching_window_in_seconds: 1,
        function_response_types: ['ReportBatchItemFailures'],
      });
    });

    it(`runs ${fn} on nodejs22.x/arm64 with tracing and the table name`, () => {
      expect(consumer).toMatchObject({ function_name: fn, runtime: 'nodejs22.x', architectures: ['arm64'], tracing_config: { mode: 'Active' }, timeout: 10 });
      const extra = id === 'email' ? { FROM_ADDRESS: 'orders@example.com' } : {};
      expect(consumer.environment).toEqual({ variables: { POWERTOOLS_SERVICE_NAME: fn, TABLE_NAME: tableName, ...extra, NODE_OPTIONS: '--enable-source-maps' } });
    });

    it(`may consume its own queue, decrypting through SQS, and read and write the orders table${id === 'email' ? ', and send email' : ''}`, () => {
      const policies = policiesOf(notifications, `${path}/function/role/role`);
      expect(Object.keys(policies).sort()).toEqual(['consume-queue', 'decrypt-environment', grant, 'write-logs', 'write-traces'].sort());
      expect(policies['consume-queue']).toEqual([
        { sid: 'ConsumeQueue', effect: 'Allow', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], resources: [queueArn] },
        {
          sid: 'DecryptQueue',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sqs.us-east-1.amazonaws.com'] }],
        },
      ]);
      expect(policies[grant]).toEqual(grants[id]);
    });
  });

  describe('email', () => {
    it('sends as the environment\'s sender, from an SES identity for that address, and may send only from it', () => {
      const identity = resource(notifications.doc, 'aws_sesv2_email_identity', 'email-sender');
      expect(identity).toMatchObject({ email_identity: 'orders@example.com' });
      expect(resourcesOf(notifications.doc, 'aws_sesv2_email_identity')).toHaveLength(1);
      const sender = resource(notifications.doc, 'aws_lambda_function', 'order-notifications/email/function/function');
      expect((sender.environment as { variables: Record<string, string> }).variables.FROM_ADDRESS).toBe(identity.email_identity);
      const send = policiesOf(notifications, 'order-notifications/email/function/role/role')['send-email']?.at(-1);
      expect(send?.resources).toEqual([ref(notifications.doc, 'aws_sesv2_email_identity', 'email-sender', 'arn')]);
      expect(send?.condition).toEqual([{ test: 'StringEquals', variable: 'ses:FromAddress', values: [identity.email_identity] }]);
    });
  });
});
