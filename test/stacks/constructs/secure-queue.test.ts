import { SecureQueue, type SecureQueueProps } from '../../../stacks/constructs/secure-queue';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, KEY_ARN, ref, resource, SECURITY, statementsOf, Workspace } from './harness';

const ALARMS = `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms`;
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:order-notifications`;
const RULES = `arn:aws:events:eu-west-1:${ACCOUNT}:rule/orders-bus/*`;

function props(overrides: Partial<SecureQueueProps> = {}): SecureQueueProps {
  return { name: 'orders-test-email', security: SECURITY, accountId: ACCOUNT, ...overrides };
}

const denyInsecure = (queueArn: string) => ({
  sid: 'DenyInsecureTransport',
  effect: 'Deny',
  principals: [{ type: 'AWS', identifiers: ['*'] }],
  actions: ['sqs:*'],
  resources: [queueArn],
  condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
});

describe('SecureQueue', () => {
  const workspace = new Workspace();
  let doc: TerraformDocument;

  beforeAll(() => {
    doc = workspace.synth((stack) => {
      const queue = new SecureQueue(stack, 'email', props({ maxReceiveCount: 3, visibilityTimeoutSeconds: 120, alarmTopicArn: ALARMS }));
      queue.allowSendFrom('sns.amazonaws.com', TOPIC);
      queue.allowSendFrom('events.amazonaws.com', RULES);
      // The same grant twice (two subscriptions of one topic) stays one statement.
      queue.allowSendFrom('sns.amazonaws.com', TOPIC);
    });
  });
  afterAll(() => workspace.dispose());

  it('encrypts the queue with the key and redrives to the DLQ after maxReceiveCount', () => {
    expect(resource(doc, 'aws_sqs_queue', 'email/queue')).toMatchObject({
      name: 'orders-test-email',
      kms_master_key_id: KEY_ARN,
      kms_data_key_reuse_period_seconds: 300,
      visibility_timeout_seconds: 120,
      message_retention_seconds: 345600,
      redrive_policy: JSON.stringify({ deadLetterTargetArn: ref(doc, 'aws_sqs_queue', 'email/dlq', 'arn'), maxReceiveCount: 3 }),
    });
    expect(resource(doc, 'aws_sqs_queue', 'email/queue')).not.toHaveProperty('sqs_managed_sse_enabled');
  });

  it('keeps dead letters 14 days, encrypted, and accepts redrives from its queue only', () => {
    expect(resource(doc, 'aws_sqs_queue', 'email/dlq')).toMatchObject({
      name: 'orders-test-email-dlq',
      kms_master_key_id: KEY_ARN,
      message_retention_seconds: 1209600,
    });
    expect(resource(doc, 'aws_sqs_queue_redrive_allow_policy', 'email/dlq-redrive-allow')).toMatchObject({
      queue_url: ref(doc, 'aws_sqs_queue', 'email/dlq', 'url'),
      redrive_allow_policy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [ref(doc, 'aws_sqs_queue', 'email/queue', 'arn')] }),
    });
  });

  it('denies non-TLS access to both queues and lets each service in for its sources, once', () => {
    const queueArn = ref(doc, 'aws_sqs_queue', 'email/queue', 'arn');
    const queuePolicy = resource(doc, 'aws_sqs_queue_policy', 'email/queue-policy');
    expect(queuePolicy.queue_url).toBe(ref(doc, 'aws_sqs_queue', 'email/queue', 'url'));
    const allow = (sid: string, service: string, source: string) => ({
      sid,
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: [service] }],
      actions: ['sqs:SendMessage'],
      resources: [queueArn],
      condition: [
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [source] },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      ],
    });
    expect(statementsOf(doc, queuePolicy.policy)).toEqual([
      denyInsecure(queueArn),
      allow('SendFromSns1', 'sns.amazonaws.com', TOPIC),
      allow('SendFromEvents2', 'events.amazonaws.com', RULES),
    ]);
    const dlqPolicy = resource(doc, 'aws_sqs_queue_policy', 'email/dlq-queue-policy');
    expect(statementsOf(doc, dlqPolicy.policy)).toEqual([denyInsecure(ref(doc, 'aws_sqs_queue', 'email/dlq', 'arn'))]);
  });

  it('alarms on the first message in the DLQ', () => {
    expect(resource(doc, 'aws_cloudwatch_metric_alarm', 'email/dlq-alarm')).toMatchObject({
      alarm_name: 'orders-test-email-dlq-not-empty',
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: ref(doc, 'aws_sqs_queue', 'email/dlq', 'name') },
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: [ALARMS],
      ok_actions: [ALARMS],
    });
  });

  it('complies with the anti-pattern rules', () => {
    expect(checkStack(doc)).toEqual([]);
  });

  it('makes both queues FIFO with content-based deduplication', () => {
    const fifo = workspace.synth((stack) => {
      new SecureQueue(stack, 'ordered', props({ name: 'orders-test-ordered', fifo: true }));
    });
    expect(resource(fifo, 'aws_sqs_queue', 'ordered/queue')).toMatchObject({ name: 'orders-test-ordered.fifo', fifo_queue: true, content_based_deduplication: true });
    expect(resource(fifo, 'aws_sqs_queue', 'ordered/dlq')).toMatchObject({ name: 'orders-test-ordered-dlq.fifo', fifo_queue: true });
    expect(resource(fifo, 'aws_cloudwatch_metric_alarm', 'ordered/dlq-alarm')).toMatchObject({ alarm_name: 'orders-test-ordered-dlq.fifo-not-empty', alarm_actions: [] });
  });

  it('reports every invalid prop at once', () => {
    expect(
      () =>
        new SecureQueue(
          workspace.stack(),
          'bad',
          props({
            name: 'has spaces',
            maxReceiveCount: 0,
            visibilityTimeoutSeconds: 43201,
            messageRetentionSeconds: 30,
            dataKeyReuseSeconds: 10,
            alarmTopicArn: 'alarms',
          }),
        ),
    ).toThrow(
      [
        'SecureQueue bad:',
        '- name "has spaces" may only use letters, digits, - and _',
        '- maxReceiveCount must be a whole number from 1 to 1000',
        '- visibilityTimeoutSeconds must be a whole number from 0 to 43200',
        '- messageRetentionSeconds must be a whole number from 60 to 1209600',
        '- dataKeyReuseSeconds must be a whole number from 60 to 86400',
        '- alarmTopicArn "alarms" is not an ARN',
      ].join('\n'),
    );
    expect(() => new SecureQueue(workspace.stack(), 'long', props({ name: 'q'.repeat(77) }))).toThrow(
      `SecureQueue long:\n- name "${'q'.repeat(77)}" is too long: "${'q'.repeat(77)}-dlq" must fit in 80 characters`,
    );
  });
});
