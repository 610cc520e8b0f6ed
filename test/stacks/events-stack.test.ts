import { CloudwatchEventArchive } from '@cdktf/provider-aws/lib/cloudwatch-event-archive';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { ref, resource, statementsOf } from './constructs/harness';
import { resourcesOf, synthPlatform } from './synth';
import { fromStack } from './references';

describe('EventsStack', () => {
  const { events } = synthPlatform('local');
  const prod = synthPlatform('prod').events;
  const busArn = ref(events.doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'arn');
  const deadLetters = 'bus/dead-letters/queue';

  it('names the bus for the environment and encrypts it with the platform key', () => {
    expect(events.json).toHaveResourceWithProperties(CloudwatchEventBus, {
      name: 'orders-local-bus',
      kms_key_identifier: fromStack('data', 'aws_kms_key', 'platform-key/key', 'arn'),
      dead_letter_config: { arn: ref(events.doc, 'aws_sqs_queue', deadLetters, 'arn') },
    });
    expect(prod.json).toHaveResourceWithProperties(CloudwatchEventBus, {
      name: 'orders-prod-bus',
      kms_key_identifier: fromStack('data', 'aws_kms_key', 'platform-key/key', 'arn', 'prod'),
    });
  });

  it('lets only principals of this account put events, on this bus only', () => {
    const policy = resource(events.doc, 'aws_cloudwatch_event_bus_policy', 'bus/policy');
    expect(policy.event_bus_name).toBe(ref(events.doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'name'));
    expect(statementsOf(events.doc, policy.policy)).toEqual([
      {
        sid: 'PutEventsFromThisAccount',
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: ['events:PutEvents'],
        resources: [busArn],
        condition: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: ['000000000000'] }],
      },
    ]);
    const prodPolicy = resource(prod.doc, 'aws_cloudwatch_event_bus_policy', 'bus/policy');
    expect(statementsOf(prod.doc, prodPolicy.policy)[0]?.condition).toEqual([{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: ['222222222222'] }]);
  });

  it('archives every event of the bus for the days the environment keeps them', () => {
    expect(events.json).toHaveResourceWithProperties(CloudwatchEventArchive, { name: 'orders-local-bus-archive', event_source_arn: busArn, retention_days: 7 });
    expect(resource(events.doc, 'aws_cloudwatch_event_archive', 'bus/archive')).not.toHaveProperty('event_pattern');
    expect(prod.json).toHaveResourceWithProperties(CloudwatchEventArchive, {
      name: 'orders-prod-bus-archive',
      event_source_arn: ref(prod.doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'arn'),
      retention_days: 90,
    });
  });

  it('exports the bus and its dead-letter queue for the stacks that add rules', () => {
    for (const [type, path, attribute] of [
      ['aws_cloudwatch_event_bus', 'bus/bus', 'arn'],
      ['aws_cloudwatch_event_bus', 'bus/bus', 'name'],
      ['aws_sqs_queue', deadLetters, 'arn'],
    ] as const) {
      expect(fromStack('events', type, path, attribute)).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-events\.outputs\./);
    }
  });

  describe('the shared dead-letter queue of rule targets', () => {
    it('is encrypted with the platform key', () => {
      expect(events.json).toHaveResourceWithProperties(SqsQueue, {
        name: 'orders-local-bus-undelivered',
        kms_master_key_id: fromStack('data', 'aws_kms_key', 'platform-key/key', 'arn'),
        kms_data_key_reuse_period_seconds: 300,
      });
      expect(resource(events.doc, 'aws_sqs_queue', deadLetters)).not.toHaveProperty('sqs_managed_sse_enabled');
    });

    it('keeps undelivered events 14 days, the longest SQS keeps a message', () => {
      expect(resource(events.doc, 'aws_sqs_queue', deadLetters).message_retention_seconds).toBe(1_209_600);
    });

    it('refuses requests without TLS and lets EventBridge send from the rules of this bus and the bus itself only', () => {
      const queueArn = ref(events.doc, 'aws_sqs_queue', deadLetters, 'arn');
      const policy = resource(events.doc, 'aws_sqs_queue_policy', 'bus/dead-letters/queue-policy');
      expect(policy.queue_url).toBe(ref(events.doc, 'aws_sqs_queue', deadLetters, 'url'));
      expect(statementsOf(events.doc, policy.policy)).toEqual([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          actions: ['sqs:*'],
          resources: [queueArn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        {
          sid: 'SendFromEvents1',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [queueArn],
          condition: [
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: ['arn:aws:events:us-east-1:000000000000:rule/orders-local-bus/*', 'arn:aws:events:us-east-1:000000000000:event-bus/orders-local-bus'],
            },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['000000000000'] },
          ],
        },
      ]);
      const prodPolicy = resource(prod.doc, 'aws_sqs_queue_policy', 'bus/dead-letters/queue-policy');
      expect(statementsOf(prod.doc, prodPolicy.policy)[1]?.condition).toEqual([
        {
          test: 'ArnLike',
          variable: 'aws:SourceArn',
          values: ['arn:aws:events:eu-west-1:222222222222:rule/orders-prod-bus/*', 'arn:aws:events:eu-west-1:222222222222:event-bus/orders-prod-bus'],
        },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['222222222222'] },
      ]);
    });

    it('notifies the alarm topic as soon as it holds one event', () => {
      const alarmTopic = fromStack('data', 'aws_sns_topic', 'alarms', 'arn');
      expect(resourcesOf(events.doc, 'aws_cloudwatch_metric_alarm').map((alarm) => alarm.dimensions)).toContainEqual({
        QueueName: ref(events.doc, 'aws_sqs_queue', deadLetters, 'name'),
      });
      expect(events.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: ref(events.doc, 'aws_sqs_queue', deadLetters, 'name') },
        statistic: 'Maximum',
        period: 60,
        evaluation_periods: 1,
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        treat_missing_data: 'notBreaching',
        alarm_actions: [alarmTopic],
        ok_actions: [alarmTopic],
      });
    });
  });

  describe('publishing from the API', () => {
    const { api } = synthPlatform('local');

    it('points the order_events data source at this bus, under its own role', () => {
      const dataSource = resource(api.doc, 'aws_appsync_datasource', 'graphql/ds-order_events');
      expect(dataSource).toMatchObject({
        api_id: ref(api.doc, 'aws_appsync_graphql_api', 'graphql/api', 'id'),
        type: 'AMAZON_EVENTBRIDGE',
        service_role_arn: ref(api.doc, 'aws_iam_role', 'graphql/ds-role-order_events/role', 'arn'),
      });
      expect(dataSource.event_bridge_config).toEqual({ event_bus_arn: fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'arn') });
    });

    it('lets only this API assume the data source role, which may put events on this bus and do nothing else', () => {
      const role = resource(api.doc, 'aws_iam_role', 'graphql/ds-role-order_events/role');
      expect(role.name).toBe('orders-local-api-ds-order_events');
      expect(statementsOf(api.doc, role.assume_role_policy)).toEqual([
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['appsync.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['000000000000'] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [ref(api.doc, 'aws_appsync_graphql_api', 'graphql/api', 'arn')] },
          ],
        },
      ]);
      const roleId = ref(api.doc, 'aws_iam_role', 'graphql/ds-role-order_events/role', 'id');
      const policies = resourcesOf(api.doc, 'aws_iam_role_policy').filter((policy) => policy.role === roleId);
      expect(policies.map((policy) => policy.name)).toEqual(['put-events']);
      expect(statementsOf(api.doc, policies[0]?.policy)).toEqual([
        { sid: 'PutEventsOnBus', effect: 'Allow', actions: ['events:PutEvents'], resources: [fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'arn')] },
      ]);
    });
  });
});
