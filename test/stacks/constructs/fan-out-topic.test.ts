import { FanOutTopic, type FanOutTopicProps } from '../../../stacks/constructs/fan-out-topic';
import { NodeFunction } from '../../../stacks/constructs/node-function';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, KEY_ARN, ref, REGION, resource, SECURITY, statementsOf, Workspace } from './harness';

const CONTEXT = { security: SECURITY, accountId: ACCOUNT, region: REGION };
const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-test-bus/orders-test-notify`;
const SHIPPING = { 'detail-type': ['OrderStatusChanged'], detail: { data: { status: ['SHIPPED', 'DELIVERED'] } } };

describe('FanOutTopic', () => {
  const workspace = new Workspace();
  const props = (overrides: Partial<FanOutTopicProps> = {}): FanOutTopicProps => ({ name: 'orders-test-notifications', ...CONTEXT, ...overrides });
  let doc: TerraformDocument;

  beforeAll(() => {
    doc = workspace.synth((stack) => {
      const topic = new FanOutTopic(stack, 'notifications', props({ publishers: [{ service: 'events.amazonaws.com', sourceArn: RULE }] }));
      topic.addQueue('email', { queueName: 'orders-test-email', consumer: workspace.fn('fo-test-email', { timeoutSeconds: 15 }), batchSize: 5 });
      topic.addQueue('push', { queueName: 'orders-test-push', filterPolicy: SHIPPING });
      topic.addQueue('audit', { queueName: 'orders-test-audit', filterPolicy: { kind: ['audit'] }, filterPolicyScope: 'MessageAttributes' });
      const notify = new NodeFunction(stack, 'notify-fn', { ...workspace.fn('fo-test-notify'), ...CONTEXT });
      topic.addLambdaSubscription('notify', notify);
    });
  });
  afterAll(() => workspace.dispose());

  it('encrypts the topic with the key and traces it', () => {
    expect(resource(doc, 'aws_sns_topic', 'notifications/topic')).toMatchObject({ name: 'orders-test-notifications', kms_master_key_id: KEY_ARN, tracing_config: 'Active' });
  });

  it('denies non-TLS publishing and lets in only the named publishers', () => {
    const topicArn = ref(doc, 'aws_sns_topic', 'notifications/topic', 'arn');
    const policy = resource(doc, 'aws_sns_topic_policy', 'notifications/topic-policy');
    expect(policy.arn).toBe(topicArn);
    expect(statementsOf(doc, policy.policy)).toEqual([
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: ['sns:Publish'],
        resources: [topicArn],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
      {
        sid: 'PublishFromEvents1',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        actions: ['sns:Publish'],
        resources: [topicArn],
        condition: [
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [RULE] },
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        ],
      },
    ]);
  });

  it('subscribes each queue with raw delivery and its filter policy', () => {
    const topicArn = ref(doc, 'aws_sns_topic', 'notifications/topic', 'arn');
    expect(resource(doc, 'aws_sns_topic_subscription', 'notifications/push-subscription')).toEqual(
      expect.objectContaining({
        topic_arn: topicArn,
        protocol: 'sqs',
        endpoint: ref(doc, 'aws_sqs_queue', 'notifications/push/queue', 'arn'),
        raw_message_delivery: true,
        filter_policy: JSON.stringify(SHIPPING),
        filter_policy_scope: 'MessageBody',
      }),
    );
    expect(resource(doc, 'aws_sns_topic_subscription', 'notifications/audit-subscription')).toMatchObject({
      filter_policy: '{"kind":["audit"]}',
      filter_policy_scope: 'MessageAttributes',
    });
    const email = resource(doc, 'aws_sns_topic_subscription', 'notifications/email-subscription');
    expect(email).toMatchObject({ endpoint: ref(doc, 'aws_sqs_queue', 'notifications/email/queue/queue', 'arn'), raw_message_delivery: true });
    expect(email).not.toHaveProperty('filter_policy');
  });

  it('lets the topic send to each queue it feeds', () => {
    const statements = statementsOf(doc, resource(doc, 'aws_sqs_queue_policy', 'notifications/push/queue-policy').policy);
    expect(statements[1]).toEqual({
      sid: 'SendFromSns1',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
      actions: ['sqs:SendMessage'],
      resources: [ref(doc, 'aws_sqs_queue', 'notifications/push/queue', 'arn')],
      condition: [
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [ref(doc, 'aws_sns_topic', 'notifications/topic', 'arn')] },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      ],
    });
  });

  it('drains a queue with its consumer when one is given', () => {
    expect(resource(doc, 'aws_lambda_event_source_mapping', 'notifications/email/event-source')).toMatchObject({
      event_source_arn: ref(doc, 'aws_sqs_queue', 'notifications/email/queue/queue', 'arn'),
      function_response_types: ['ReportBatchItemFailures'],
      batch_size: 5,
    });
    expect(resource(doc, 'aws_sqs_queue', 'notifications/email/queue/queue').visibility_timeout_seconds).toBe(90);
  });

  it('subscribes a function directly, invokable by this topic only, with a queue for its failures', () => {
    expect(resource(doc, 'aws_sns_topic_subscription', 'notifications/notify-subscription')).toEqual(
      expect.objectContaining({ protocol: 'lambda', endpoint: ref(doc, 'aws_lambda_function', 'notify-fn/function', 'arn') }),
    );
    expect(resource(doc, 'aws_lambda_permission', 'notifications/notify-permission')).toEqual(
      expect.objectContaining({
        statement_id: 'AllowSnsTopic',
        action: 'lambda:InvokeFunction',
        principal: 'sns.amazonaws.com',
        source_arn: ref(doc, 'aws_sns_topic', 'notifications/topic', 'arn'),
        function_name: ref(doc, 'aws_lambda_function', 'notify-fn/function', 'function_name'),
      }),
    );
    expect(resource(doc, 'aws_sqs_queue', 'notifications/notify-failures/queue').name).toBe('fo-test-notify-failed');
    expect(resource(doc, 'aws_lambda_function_event_invoke_config', 'notifications/notify-async-failures')).toMatchObject({
      destination_config: { on_failure: { destination: ref(doc, 'aws_sqs_queue', 'notifications/notify-failures/queue', 'arn') } },
    });
  });

  it('complies with the anti-pattern rules', () => {
    expect(checkStack(doc)).toEqual([]);
  });

  it('reports invalid props and subscriptions with every problem', () => {
    const stack = workspace.stack();
    expect(() => new FanOutTopic(stack, 'bad', props({ name: 'bad name', publishers: [{ service: 'events', sourceArn: RULE }] }))).toThrow(
      ['FanOutTopic bad:', '- name "bad name" must be 1-256 letters, digits, - or _', '- publishers: "events" is not a service principal'].join('\n'),
    );
    const topic = new FanOutTopic(stack, 'topic', props());
    topic.addQueue('push', { queueName: 'orders-test-push' });
    expect(() =>
      topic.addQueue('push', { queueName: 'orders-test-push-2', filterPolicy: { detail: { status: ['SHIPPED'] } }, filterPolicyScope: 'MessageAttributes', batchSize: 5 }),
    ).toThrow(
      [
        'FanOutTopic topic queue push:',
        '- a queue with id push was already added',
        '- filterPolicy.detail: message attributes are flat, so each must be an array of values or matchers',
        '- batchSize: polling settings need a consumer',
      ].join('\n'),
    );
    expect(() => topic.addQueue('scope', { queueName: 'orders-test-scope', filterPolicyScope: 'MessageBody' })).toThrow(
      'FanOutTopic topic queue scope:\n- filterPolicyScope without a filterPolicy has nothing to scope',
    );
  });
});
