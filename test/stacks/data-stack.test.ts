import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { loadEnvironment } from '../../config';
import { ref } from './constructs/harness';
import { onlyResource, policyDocuments, synthPlatform } from './synth';

describe('DataStack', () => {
  const { data } = synthPlatform('local');

  it('keeps orders in one on-demand table with generic keys and four overloaded indexes', () => {
    expect(data.json).toHaveResourceWithProperties(DynamodbTable, {
      name: 'orders-local-orders',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'PK',
      range_key: 'SK',
      global_secondary_index: [
        { name: 'GSI1', hash_key: 'GSI1PK', range_key: 'GSI1SK', projection_type: 'ALL' },
        { name: 'GSI2', hash_key: 'GSI2PK', range_key: 'GSI2SK', projection_type: 'ALL' },
        { name: 'GSI3', hash_key: 'GSI3PK', range_key: 'GSI3SK', projection_type: 'ALL' },
        { name: 'GSI4', hash_key: 'GSI4PK', range_key: 'GSI4SK', projection_type: 'ALL' },
      ],
    });
    const table = onlyResource(data.doc, 'aws_dynamodb_table');
    expect((table.attribute as { name: string; type: string }[]).map((a) => `${a.name}:${a.type}`).sort()).toEqual(
      ['GSI1PK:S', 'GSI1SK:S', 'GSI2PK:S', 'GSI2SK:S', 'GSI3PK:S', 'GSI3SK:S', 'GSI4PK:S', 'GSI4SK:S', 'PK:S', 'SK:S'],
    );
  });

  it('encrypts with the customer-managed key, keeps point-in-time recovery, streams both images and expires by TTL', () => {
    const table = onlyResource(data.doc, 'aws_dynamodb_table');
    expect(table.server_side_encryption).toEqual({ enabled: true, kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/) });
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.stream_enabled).toBe(true);
    expect(table.stream_view_type).toBe('NEW_AND_OLD_IMAGES');
    expect(table.ttl).toEqual({ attribute_name: 'expiresAt', enabled: true });
  });

  it('takes deletion protection from the environment', () => {
    expect(onlyResource(data.doc, 'aws_dynamodb_table').deletion_protection_enabled).toBe(false);
    expect(onlyResource(synthPlatform('prod').data.doc, 'aws_dynamodb_table').deletion_protection_enabled).toBe(true);
  });

  it('rotates its key and lets CloudWatch Logs use it only for this account and region', () => {
    expect(data.json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 7 });
    const statements = Object.values(policyDocuments(data.doc)).flatMap((doc) => doc.statement);
    const logs = statements.find((statement) => statement.sid === 'CloudWatchLogsEncrypts');
    expect(logs).toMatchObject({
      principals: [{ type: 'Service', identifiers: ['logs.us-east-1.amazonaws.com'] }],
      condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn', values: ['arn:aws:logs:us-east-1:000000000000:log-group:*'] }],
    });
    expect(onlyResource(synthPlatform('prod').data.doc, 'aws_kms_key').deletion_window_in_days).toBe(30);
  });

  it('lets EventBridge encrypt the orders bus, and the messaging services use the key for this account\'s queues and topics only', () => {
    const statements = Object.values(policyDocuments(data.doc)).flatMap((doc) => doc.statement);
    expect(statements.map((statement) => statement.sid)).toEqual([
      'AccountAdministers',
      'CloudWatchLogsEncrypts',
      'EventBridgeDescribesKey',
      'EventBridgeEncryptsBuses',
      'ServicesSendToEncryptedQueues',
      'ServicesPublishToEncryptedTopics',
    ]);
    const service = (...names: string[]) => [{ type: 'Service', identifiers: names.map((name) => `${name}.amazonaws.com`) }];
    expect(statements.slice(2)).toEqual([
      { sid: 'EventBridgeDescribesKey', effect: 'Allow', principals: service('events'), actions: ['kms:DescribeKey'], resources: ['*'] },
      {
        sid: 'EventBridgeEncryptsBuses',
        effect: 'Allow',
        principals: service('events'),
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:events:event-bus:arn', values: ['arn:aws:events:us-east-1:000000000000:event-bus/orders-local-bus'] }],
      },
      {
        sid: 'ServicesSendToEncryptedQueues',
        effect: 'Allow',
        principals: service('events', 'sns'),
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:sqs:arn', values: ['arn:aws:sqs:us-east-1:000000000000:*'] }],
      },
      {
        sid: 'ServicesPublishToEncryptedTopics',
        effect: 'Allow',
        principals: service('events', 's3', 'cloudwatch'),
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:sns:topicArn', values: ['arn:aws:sns:us-east-1:000000000000:*'] }],
      },
    ]);
    const prodStatements = Object.values(policyDocuments(synthPlatform('prod').data.doc)).flatMap((doc) => doc.statement);
    expect(prodStatements.slice(3).map((statement) => statement.condition)).toEqual([
      [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:events:event-bus:arn', values: ['arn:aws:events:eu-west-1:222222222222:event-bus/orders-prod-bus'] }],
      [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:sqs:arn', values: ['arn:aws:sqs:eu-west-1:222222222222:*'] }],
      [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:sns:topicArn', values: ['arn:aws:sns:eu-west-1:222222222222:*'] }],
    ]);
  });

  it.each(['local', 'prod'])('%s: names in its key policy the bus the events stack creates', (environment) => {
    const { data: stack, events } = synthPlatform(environment);
    const { region, accountId } = loadEnvironment(environment);
    const statements = Object.values(policyDocuments(stack.doc)).flatMap((doc) => doc.statement);
    const bus = onlyResource(events.doc, 'aws_cloudwatch_event_bus');
    expect(statements.find((statement) => statement.sid === 'EventBridgeEncryptsBuses')?.condition).toEqual([
      { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:events:event-bus:arn', values: [`arn:aws:events:${region}:${accountId}:event-bus/${String(bus.name)}`] },
    ]);
  });

  it('sends alarms to a topic encrypted with its key, which emails the environment\'s alarm address', () => {
    expect(data.json).toHaveResourceWithProperties(SnsTopic, {
      name: 'orders-local-alarms',
      kms_master_key_id: ref(data.doc, 'aws_kms_key', 'platform-key/key', 'arn'),
      tracing_config: 'Active',
    });
    expect(data.json).toHaveResourceWithProperties(SnsTopicSubscription, {
      topic_arn: ref(data.doc, 'aws_sns_topic', 'alarms', 'arn'),
      protocol: 'email',
      endpoint: 'alarms@example.com',
    });
    expect(onlyResource(synthPlatform('prod').data.doc, 'aws_sns_topic_subscription').endpoint).toBe('platform-alarms@example.com');
  });

  it('exports the table and key for the API stack', () => {
    expect(Object.keys(data.doc.output ?? {}).length).toBeGreaterThanOrEqual(2);
  });
});
