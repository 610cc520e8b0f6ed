import type { TerraformStack } from 'cdktf';
import { EventBus } from '../../../stacks/constructs/event-bus';
import { EventConsumer, type EventConsumerProps } from '../../../stacks/constructs/event-consumer';
import { FanOutTopic } from '../../../stacks/constructs/fan-out-topic';
import { NodeFunction } from '../../../stacks/constructs/node-function';
import { SecureQueue } from '../../../stacks/constructs/secure-queue';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, idOf, KEY_ARN, ref, REGION, resource, SECURITY, statementsOf, Workspace } from './harness';

const CONTEXT = { accountId: ACCOUNT, region: REGION };
const COMPLETED = { source: ['orders.api'], 'detail-type': ['OrderCompleted'] };
const RULE_ARN = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-test-bus/${name}`;
const PUBLISH = 'mutation Publish($input: OrderUpdateInput!) { publishOrderUpdate(input: $input) { orderId status } }';

describe('EventConsumer', () => {
  const workspace = new Workspace();
  let doc: TerraformDocument;

  beforeAll(() => {
    doc = workspace.synth((stack) => {
      const bus = new EventBus(stack, 'bus', { name: 'orders-test-bus', security: SECURITY, ...CONTEXT });
      const loyalty = new NodeFunction(stack, 'loyalty-fn', { ...workspace.fn('ec-test-loyalty'), security: SECURITY, ...CONTEXT });
      new EventConsumer(stack, 'loyalty', { name: 'orders-test-loyalty', bus, eventPattern: COMPLETED, function: loyalty, maxEventAgeSeconds: 600, maxRetryAttempts: 3, ...CONTEXT });
      new EventConsumer(stack, 'status', {
        name: 'orders-test-status',
        bus,
        eventPattern: { source: ['orders.api'], 'detail-type': ['OrderStatusChanged'] },
        graphql: { apiId: 'api123', fieldName: 'publishOrderUpdate', operation: PUBLISH },
        input: {
          paths: { orderId: '$.detail.data.orderId', status: '$.detail.data.status' },
          template: '{"input": {"orderId": <orderId>, "status": <status>, "rule": "<aws.events.rule-name>"}}',
        },
        ...CONTEXT,
      });
      const topic = new FanOutTopic(stack, 'notifications', { name: 'orders-test-notifications', security: SECURITY, ...CONTEXT });
      new EventConsumer(stack, 'notify', { name: 'orders-test-notify', bus, eventPattern: { 'detail-type': ['OrderCompleted', 'OrderCancelled'] }, topic, ...CONTEXT });
      const audit = new SecureQueue(stack, 'audit', { name: 'orders-test-audit', fifo: true, security: SECURITY, accountId: ACCOUNT });
      const ownDlq = new SecureQueue(stack, 'own-dlq', { name: 'orders-test-audit-undelivered', security: SECURITY, accountId: ACCOUNT });
      new EventConsumer(stack, 'audit-rule', {
        name: 'orders-test-audit',
        bus,
        eventPattern: { source: ['orders.api'] },
        queue: audit,
        messageGroupId: 'orders',
        deadLetterQueue: ownDlq,
        ...CONTEXT,
      });
    });
  });
  afterAll(() => workspace.dispose());

  it('matches the content-based pattern on the bus', () => {
    expect(resource(doc, 'aws_cloudwatch_event_rule', 'loyalty/rule')).toMatchObject({
      name: 'orders-test-loyalty',
      event_bus_name: ref(doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'name'),
      event_pattern: JSON.stringify(COMPLETED),
      state: 'ENABLED',
    });
  });

  it('invokes a function with a retry policy and the bus DLQ, allowed for this rule only', () => {
    const dlqArn = ref(doc, 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn');
    expect(resource(doc, 'aws_cloudwatch_event_target', 'loyalty/target')).toMatchObject({
      rule: ref(doc, 'aws_cloudwatch_event_rule', 'loyalty/rule', 'name'),
      event_bus_name: ref(doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'name'),
      target_id: 'orders-test-loyalty',
      arn: ref(doc, 'aws_lambda_function', 'loyalty-fn/function', 'arn'),
      retry_policy: { maximum_event_age_in_seconds: 600, maximum_retry_attempts: 3 },
      dead_letter_config: { arn: dlqArn },
    });
    expect(resource(doc, 'aws_lambda_permission', 'loyalty/invoke-permission')).toEqual(
      expect.objectContaining({
        statement_id: 'AllowEventBridge-orders-test-loyalty',
        action: 'lambda:InvokeFunction',
        function_name: ref(doc, 'aws_lambda_function', 'loyalty-fn/function', 'function_name'),
        principal: 'events.amazonaws.com',
        source_arn: ref(doc, 'aws_cloudwatch_event_rule', 'loyalty/rule', 'arn'),
      }),
    );
  });

  it("sends the function's failed invocations to the same DLQ", () => {
    const dlqArn = ref(doc, 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn');
    const config = resource(doc, 'aws_lambda_function_event_invoke_config', 'loyalty/async-failures');
    expect(config).toMatchObject({
      function_name: ref(doc, 'aws_lambda_function', 'loyalty-fn/function', 'function_name'),
      maximum_retry_attempts: 2,
      destination_config: { on_failure: { destination: dlqArn } },
      depends_on: [`aws_iam_role_policy.${idOf(doc, 'aws_iam_role_policy', 'loyalty/failure-destination-policy')}`],
    });
    expect(statementsOf(doc, resource(doc, 'aws_iam_role_policy', 'loyalty/failure-destination-policy').policy)).toEqual([
      { sid: 'SendFailedEvents', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [dlqArn] },
      {
        sid: 'EncryptFailedEvents',
        effect: 'Allow',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [KEY_ARN],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${REGION}.amazonaws.com`] }],
      },
    ]);
  });

  it('calls one AppSync field through a role that may call only that field', () => {
    expect(resource(doc, 'aws_cloudwatch_event_target', 'status/target')).toMatchObject({
      arn: `arn:aws:appsync:${REGION}:${ACCOUNT}:endpoints/graphql-api/api123`,
      role_arn: ref(doc, 'aws_iam_role', 'status/role/role', 'arn'),
      appsync_target: { graphql_operation: PUBLISH },
      input_transformer: {
        input_paths: { orderId: '$.detail.data.orderId', status: '$.detail.data.status' },
        input_template: '{"input": {"orderId": <orderId>, "status": <status>, "rule": "<aws.events.rule-name>"}}',
      },
      retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 8 },
      dead_letter_config: { arn: ref(doc, 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn') },
    });
    expect(resource(doc, 'aws_iam_role', 'status/role/role').name).toBe('orders-test-status-appsync');
    expect(statementsOf(doc, resource(doc, 'aws_iam_role_policy', 'status/role/inline-0').policy)).toEqual([
      {
        sid: 'CallGraphqlField',
        effect: 'Allow',
        actions: ['appsync:GraphQL'],
        resources: [`arn:aws:appsync:${REGION}:${ACCOUNT}:apis/api123/types/Mutation/fields/publishOrderUpdate`],
      },
    ]);
    expect(statementsOf(doc, resource(doc, 'aws_iam_role', 'status/role/role').assume_role_policy)).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [RULE_ARN('orders-test-status')] },
        ],
      },
    ]);
  });

  it('publishes to a topic that lets this rule in', () => {
    expect(resource(doc, 'aws_cloudwatch_event_target', 'notify/target').arn).toBe(ref(doc, 'aws_sns_topic', 'notifications/topic', 'arn'));
    const statements = statementsOf(doc, resource(doc, 'aws_sns_topic_policy', 'notifications/topic-policy').policy);
    expect(statements[1]).toMatchObject({
      sid: 'PublishFromEvents1',
      principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
      actions: ['sns:Publish'],
      condition: [
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [RULE_ARN('orders-test-notify')] },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      ],
    });
  });

  it('sends to a FIFO queue in a message group, dead-lettering to its own queue, both allowing this rule', () => {
    expect(resource(doc, 'aws_cloudwatch_event_target', 'audit-rule/target')).toMatchObject({
      arn: ref(doc, 'aws_sqs_queue', 'audit/queue', 'arn'),
      sqs_target: { message_group_id: 'orders' },
      dead_letter_config: { arn: ref(doc, 'aws_sqs_queue', 'own-dlq/queue', 'arn') },
    });
    for (const path of ['audit/queue-policy', 'own-dlq/queue-policy']) {
      const statements = statementsOf(doc, resource(doc, 'aws_sqs_queue_policy', path).policy);
      expect(statements[1]).toMatchObject({ sid: 'SendFromEvents1', condition: [{ values: [RULE_ARN('orders-test-audit')] }, { values: [ACCOUNT] }] });
    }
  });

  it('complies with the anti-pattern rules', () => {
    expect(checkStack(doc)).toEqual([]);
  });

  describe('validation', () => {
    let stack: TerraformStack;
    let base: Omit<EventConsumerProps, 'eventPattern'>;
    beforeAll(() => {
      stack = workspace.stack();
      const bus = new EventBus(stack, 'bus', { name: 'orders-test-bus', security: SECURITY, ...CONTEXT });
      base = { name: 'orders-test-rule', bus, ...CONTEXT };
    });

    it('reports every invalid prop at once', () => {
      const queue = new SecureQueue(stack, 'queue', { name: 'orders-test-q', security: SECURITY, accountId: ACCOUNT });
      expect(
        () =>
          new EventConsumer(stack, 'bad', {
            ...base,
            name: 'bad name',
            eventPattern: { detail: { status: ['SHIPPED'] } },
            queue,
            graphql: { apiId: 'api123', fieldName: 'publishOrderUpdate', operation: 'query { orders { id } }' },
            messageGroupId: 'orders',
            maxEventAgeSeconds: 30,
            maxRetryAttempts: 200,
          }),
      ).toThrow(
        [
          'EventConsumer bad:',
          '- name "bad name" must be 1-64 letters, digits, . - _',
          '- eventPattern must filter on "source" or "detail-type" (a rule matching every event of the bus is a fan-out nobody owns)',
          '- give exactly one target (function, topic, queue or graphql), not queue and graphql',
          '- messageGroupId applies to a FIFO queue target only',
          "- input is required for a GraphQL target: it builds the operation's variables",
          '- graphql.operation must be a mutation (EventBridge calls mutations only)',
          '- maxEventAgeSeconds must be a whole number from 60 to 86400',
          '- maxRetryAttempts must be a whole number from 0 to 185',
        ].join('\n'),
      );
    });

    it('checks the pattern shape and the input transformer', () => {
      const queue = new SecureQueue(stack, 'fifo', { name: 'orders-test-fifo', fifo: true, security: SECURITY, accountId: ACCOUNT });
      expect(
        () =>
          new EventConsumer(stack, 'shape', {
            ...base,
            eventPattern: { source: 'orders.api', detail: { status: [] } } as never,
            queue,
            input: { paths: { 'order id': 'detail.id' }, template: '{"id": <orderId>}' },
          }),
      ).toThrow(
        [
          'EventConsumer shape:',
          '- eventPattern.source must be an array of values or matchers, or a nested pattern',
          '- eventPattern.detail.status must list at least one value',
          '- messageGroupId is required for a FIFO queue target',
          '- input.paths.order id: a placeholder name uses letters, digits, _ and -',
          '- input.paths.order id: "detail.id" is not a JSON path (it starts with $)',
          '- input.template uses <orderId>, which input.paths does not define',
        ].join('\n'),
      );
      expect(() => new EventConsumer(stack, 'empty', { ...base, eventPattern: {} })).toThrow(
        'EventConsumer empty:\n- eventPattern must be a non-empty object\n- give exactly one target (function, topic, queue or graphql), not none',
      );
    });

    it('checks that the operation calls the field the role may call', () => {
      expect(
        () =>
          new EventConsumer(stack, 'field', {
            ...base,
            eventPattern: { source: ['orders.api'] },
            graphql: { apiId: 'api123', fieldName: 'publishOrderUpdate', operation: 'mutation { cancelOrder(id: "1") { id } }' },
            input: { template: '{}' },
          }),
      ).toThrow('EventConsumer field:\n- graphql.operation does not call publishOrderUpdate, the field the role may call');
    });
  });
});
