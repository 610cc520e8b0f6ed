import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
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

  it('exports the table and key for the API stack', () => {
    expect(Object.keys(data.doc.output ?? {}).length).toBeGreaterThanOrEqual(2);
  });
});
