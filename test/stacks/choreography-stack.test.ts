import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { readFileSync } from 'node:fs';
import { isInputObjectType, isObjectType, Kind, parse, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import statusChangedSchema from '../../events/schemas/OrderStatusChanged.v1.schema.json';
import { parseAppSyncSchema } from '../../stacks/lib/appsync-schema';
import { ref, resource, statementsOf } from './constructs/harness';
import { resourcesOf, synthPlatform } from './synth';
import { fromStack, ordersTableAccess, policiesOf } from './references';

/** Field names a selection set asks for, with the sub-selection of each object field. */
function selected(selectionSet: SelectionSetNode | undefined): Record<string, SelectionSetNode | undefined> {
  const fields = (selectionSet?.selections ?? []).filter((selection): selection is FieldNode => selection.kind === Kind.FIELD);
  return Object.fromEntries(fields.map((field) => [field.name.value, field.selectionSet]));
}

describe('ChoreographyStack', () => {
  const { choreography } = synthPlatform('local');
  const prod = synthPlatform('prod').choreography;
  const busName = fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'name');
  const busDeadLetters = fromStack('events', 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn');
  const keyArn = fromStack('data', 'aws_kms_key', 'platform-key/key', 'arn');
  const tableArn = fromStack('data', 'aws_dynamodb_table', 'orders-table/table', 'arn');
  const tableName = fromStack('data', 'aws_dynamodb_table', 'orders-table/table', 'name');
  const apiId = fromStack('api', 'aws_appsync_graphql_api', 'graphql/api', 'id');
  const tableAccess = ordersTableAccess(tableArn, keyArn);

  describe('loyalty', () => {
    const functionArn = ref(choreography.doc, 'aws_lambda_function', 'award-loyalty-points/function', 'arn');

    it('matches completed orders from fulfilment on the orders bus, and nothing else', () => {
      expect(choreography.json).toHaveResourceWithProperties(CloudwatchEventRule, {
        name: 'orders-local-loyalty-on-completed',
        event_bus_name: busName,
        state: 'ENABLED',
      });
      const rule = resource(choreography.doc, 'aws_cloudwatch_event_rule', 'loyalty/rule');
      expect(JSON.parse(String(rule.event_pattern))).toEqual({ source: ['orders.fulfilment'], 'detail-type': ['OrderCompleted'] });
    });

    it('invokes award-loyalty-points, retrying as long as the environment says, then dead-letters to the bus DLQ', () => {
      expect(choreography.json).toHaveResourceWithProperties(CloudwatchEventTarget, {
        rule: ref(choreography.doc, 'aws_cloudwatch_event_rule', 'loyalty/rule', 'name'),
        event_bus_name: busName,
        target_id: 'orders-local-loyalty-on-completed',
        arn: functionArn,
        retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 8 },
        dead_letter_config: { arn: busDeadLetters },
      });
      expect(resource(choreography.doc, 'aws_cloudwatch_event_target', 'loyalty/target')).not.toHaveProperty('input_transformer');
      expect(resource(prod.doc, 'aws_cloudwatch_event_target', 'loyalty/target')).toMatchObject({
        retry_policy: { maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 },
        dead_letter_config: { arn: fromStack('events', 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn', 'prod') },
      });
    });

    it('lets EventBridge invoke the function for this rule only', () => {
      expect(choreography.json).toHaveResourceWithProperties(LambdaPermission, {
        statement_id: 'AllowEventBridge-orders-local-loyalty-on-completed',
        action: 'lambda:InvokeFunction',
        function_name: ref(choreography.doc, 'aws_lambda_function', 'award-loyalty-points/function', 'function_name'),
        principal: 'events.amazonaws.com',
        source_arn: ref(choreography.doc, 'aws_cloudwatch_event_rule', 'loyalty/rule', 'arn'),
      });
      expect(resourcesOf(choreography.doc, 'aws_lambda_permission')).toHaveLength(1);
    });

    it('sends invocations that fail twice more to the bus DLQ, once the role may send there', () => {
      const failurePolicy = resource(choreography.doc, 'aws_iam_role_policy', 'loyalty/failure-destination-policy');
      expect(resource(choreography.doc, 'aws_lambda_function_event_invoke_config', 'loyalty/async-failures')).toEqual(
        expect.objectContaining({
          function_name: ref(choreography.doc, 'aws_lambda_function', 'award-loyalty-points/function', 'function_name'),
          maximum_retry_attempts: 2,
          destination_config: { on_failure: { destination: busDeadLetters } },
          // Terraform addresses a dependency as `type.name`, the reference without `${` and `.id}`.
          depends_on: [ref(choreography.doc, 'aws_iam_role_policy', 'loyalty/failure-destination-policy', 'id').replace(/^\$\{|\.id\}$/g, '')],
        }),
      );
      expect(failurePolicy.role).toBe(ref(choreography.doc, 'aws_iam_role', 'award-loyalty-points/role/role', 'id'));
      expect(statementsOf(choreography.doc, failurePolicy.policy)).toEqual([
        { sid: 'SendFailedEvents', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [busDeadLetters] },
        {
          sid: 'EncryptFailedEvents',
          effect: 'Allow',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sqs.us-east-1.amazonaws.com'] }],
        },
      ]);
    });

    it('runs award-loyalty-points on nodejs22.x/arm64 with tracing, reading and writing the orders table only', () => {
      const fn = resource(choreography.doc, 'aws_lambda_function', 'award-loyalty-points/function');
      expect(fn).toMatchObject({ function_name: 'orders-local-award-loyalty-points', runtime: 'nodejs22.x', architectures: ['arm64'], tracing_config: { mode: 'Active' } });
      expect(fn.environment).toEqual({
        variables: { POWERTOOLS_SERVICE_NAME: 'orders-local-award-loyalty-points', TABLE_NAME: tableName, NODE_OPTIONS: '--enable-source-maps' },
      });
      const policies = policiesOf(choreography, 'award-loyalty-points/role/role');
      expect(Object.keys(policies).sort()).toEqual(['decrypt-environment', 'orders-table', 'send-failed-events', 'write-logs', 'write-traces']);
      expect(policies['orders-table']).toEqual(tableAccess);
    });
  });

  describe('status updates', () => {
    const schema = parseAppSyncSchema(readFileSync('schema.graphql', 'utf8'));
    const target = resource(choreography.doc, 'aws_cloudwatch_event_target', 'status-updates/target');
    const ruleArn = 'arn:aws:events:us-east-1:000000000000:rule/orders-local-bus/orders-local-status-to-subscribers';

    it('matches status changes from fulfilment on the orders bus, and nothing else', () => {
      expect(choreography.json).toHaveResourceWithProperties(CloudwatchEventRule, {
        name: 'orders-local-status-to-subscribers',
        event_bus_name: busName,
        state: 'ENABLED',
      });
      const rule = resource(choreography.doc, 'aws_cloudwatch_event_rule', 'status-updates/rule');
      expect(JSON.parse(String(rule.event_pattern))).toEqual({ source: ['orders.fulfilment'], 'detail-type': ['OrderStatusChanged'] });
    });

    it('calls the API\'s GraphQL endpoint with its own role, the environment\'s retry policy and the bus DLQ', () => {
      expect(target).toMatchObject({
        rule: ref(choreography.doc, 'aws_cloudwatch_event_rule', 'status-updates/rule', 'name'),
        event_bus_name: busName,
        target_id: 'orders-local-status-to-subscribers',
        arn: `arn:aws:appsync:us-east-1:000000000000:endpoints/graphql-api/${apiId}`,
        role_arn: ref(choreography.doc, 'aws_iam_role', 'status-updates/role/role', 'arn'),
        retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 8 },
        dead_letter_config: { arn: busDeadLetters },
      });
      expect(resource(prod.doc, 'aws_cloudwatch_event_target', 'status-updates/target')).toMatchObject({
        arn: `arn:aws:appsync:eu-west-1:222222222222:endpoints/graphql-api/${fromStack('api', 'aws_appsync_graphql_api', 'graphql/api', 'id', 'prod')}`,
        retry_policy: { maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 },
      });
    });

    it('runs publishOrderUpdate selecting every Order field, so subscribers receive the whole order', () => {
      const operationText = (target.appsync_target as { graphql_operation: string }).graphql_operation;
      expect(operationText).toBe(
        [
          'mutation PublishOrderUpdate($input: OrderUpdateInput!) {',
          '  publishOrderUpdate(input: $input) {',
          '    id owner status statusReason total currency createdAt updatedAt',
          '    items { sku name quantity unitPrice }',
          '  }',
          '}',
        ].join('\n'),
      );
      const [operation] = parse(operationText).definitions as OperationDefinitionNode[];
      expect(operation?.operation).toBe('mutation');
      const root = selected(operation?.selectionSet);
      expect(Object.keys(root)).toEqual(['publishOrderUpdate']);
      const order = schema.getType('Order');
      const orderItem = schema.getType('OrderItem');
      if (!isObjectType(order) || !isObjectType(orderItem)) throw new Error('schema.graphql lacks Order or OrderItem');
      const fields = selected(root.publishOrderUpdate);
      expect(Object.keys(fields).sort()).toEqual(Object.keys(order.getFields()).sort());
      expect(Object.keys(selected(fields.items)).sort()).toEqual(Object.keys(orderItem.getFields()).sort());
    });

    it('builds exactly the OrderUpdateInput fields from the event\'s data', () => {
      expect(target.input_transformer).toEqual({
        input_paths: { id: '$.detail.data.orderId', status: '$.detail.data.status', reason: '$.detail.data.reason' },
        input_template: '{"input": {"id": <id>, "status": <status>, "reason": <reason>}}',
      });
      const input = schema.getType('OrderUpdateInput');
      if (!isInputObjectType(input)) throw new Error('schema.graphql lacks OrderUpdateInput');
      const template = JSON.parse(String((target.input_transformer as { input_template: string }).input_template).replace(/<([\w-]+)>/g, '"$1"')) as {
        input: Record<string, string>;
      };
      expect(Object.keys(template.input).sort()).toEqual(Object.keys(input.getFields()).sort());
      const dataFields = Object.keys(statusChangedSchema.properties.data.properties);
      for (const path of Object.values((target.input_transformer as { input_paths: Record<string, string> }).input_paths)) {
        expect(dataFields).toContain(path.replace('$.detail.data.', ''));
      }
    });

    it('gives EventBridge, for this rule only, a role that may call Mutation.publishOrderUpdate and nothing else', () => {
      const role = resource(choreography.doc, 'aws_iam_role', 'status-updates/role/role');
      expect(role.name).toBe('orders-local-status-to-subscribers-appsync');
      expect(statementsOf(choreography.doc, role.assume_role_policy)).toEqual([
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['000000000000'] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [ruleArn] },
          ],
        },
      ]);
      expect(policiesOf(choreography, 'status-updates/role/role')).toEqual({
        'call-graphql-field': [
          {
            sid: 'CallGraphqlField',
            effect: 'Allow',
            actions: ['appsync:GraphQL'],
            resources: [`arn:aws:appsync:us-east-1:000000000000:apis/${apiId}/types/Mutation/fields/publishOrderUpdate`],
          },
        ],
      });
    });

    it('names the rule ARN the role trusts after the rule and its bus', () => {
      const rule = resource(choreography.doc, 'aws_cloudwatch_event_rule', 'status-updates/rule');
      const bus = resource(synthPlatform('local').events.doc, 'aws_cloudwatch_event_bus', 'bus/bus');
      expect(ruleArn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${String(bus.name)}/${String(rule.name)}`);
    });
  });

  describe('outbox sweeper', () => {
    const functionArn = ref(choreography.doc, 'aws_lambda_function', 'republish-outbox/function', 'arn');

    it('runs republish-outbox one at a time with the table and bus names', () => {
      const fn = resource(choreography.doc, 'aws_lambda_function', 'republish-outbox/function');
      expect(fn).toMatchObject({
        function_name: 'orders-local-republish-outbox',
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        tracing_config: { mode: 'Active' },
        timeout: 50,
        reserved_concurrent_executions: 1,
      });
      expect(fn.environment).toEqual({
        variables: { POWERTOOLS_SERVICE_NAME: 'orders-local-republish-outbox', TABLE_NAME: tableName, EVENT_BUS_NAME: busName, NODE_OPTIONS: '--enable-source-maps' },
      });
    });

    it('lets it use the table, put events on the bus and encrypt them through EventBridge only', () => {
      const policies = policiesOf(choreography, 'republish-outbox/role/role');
      expect(Object.keys(policies).sort()).toEqual(['decrypt-environment', 'outbox', 'write-logs', 'write-traces']);
      expect(policies.outbox).toEqual([
        ...tableAccess,
        { sid: 'PutEventsOnBus', effect: 'Allow', actions: ['events:PutEvents'], resources: [fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'arn')] },
        {
          sid: 'BusKey',
          effect: 'Allow',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['events.us-east-1.amazonaws.com'] }],
        },
      ]);
      const prodOutbox = policiesOf(prod, 'republish-outbox/role/role').outbox ?? [];
      expect(prodOutbox.map((statement) => statement.condition).filter(Boolean)).toEqual([
        [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['dynamodb.eu-west-1.amazonaws.com'] }],
        [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['events.eu-west-1.amazonaws.com'] }],
      ]);
    });

    it('runs it every minute, exactly on time, without retries', () => {
      expect(choreography.json).toHaveResourceWithProperties(SchedulerSchedule, {
        name: 'orders-local-republish-outbox',
        schedule_expression: 'rate(1 minute)',
        flexible_time_window: { mode: 'OFF' },
        target: {
          arn: functionArn,
          role_arn: ref(choreography.doc, 'aws_iam_role', 'outbox-schedule-role/role', 'arn'),
          retry_policy: { maximum_retry_attempts: 0, maximum_event_age_in_seconds: 60 },
        },
      });
    });

    it('schedules with a role only Scheduler of this account assumes, which may invoke that one function', () => {
      const role = resource(choreography.doc, 'aws_iam_role', 'outbox-schedule-role/role');
      expect(role.name).toBe('orders-local-outbox-schedule');
      expect(statementsOf(choreography.doc, role.assume_role_policy)).toEqual([
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['scheduler.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['000000000000'] }],
        },
      ]);
      expect(policiesOf(choreography, 'outbox-schedule-role/role')).toEqual({
        'invoke-republish-outbox': [{ sid: 'InvokeRepublishOutbox', effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [functionArn] }],
      });
    });
  });
});
