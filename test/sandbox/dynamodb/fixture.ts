import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORDERS_TABLE_INDEXES } from '../../../resolvers/lib/keys';
import type { LogSink } from '../../../sandbox/core/logger';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { dynamoDbService } from '../../../sandbox/services/dynamodb';

/** One global secondary index of the fixture table. */
export interface IndexFixture {
  name: string;
  hashKey: string;
  rangeKey?: string;
  projection?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
}

/** The indexes of the orders single table, from the same constant the data stack builds them from. */
export const ORDERS_INDEXES: IndexFixture[] = ORDERS_TABLE_INDEXES.map((index) => ({ name: index.name, hashKey: index.partitionKey, rangeKey: index.sortKey }));

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Writes a `cdktf.out`-like folder: a manifest and one `data` stack with an `aws_dynamodb_table` (stream
 * and TTL on), an AMAZON_DYNAMODB `aws_appsync_datasource` and an output, both referencing the table.
 */
export function writePlatform(outdir: string, table: { name: string; indexes: IndexFixture[] }): string {
  const keyAttributes = ['PK', 'SK', ...table.indexes.flatMap((index) => [index.hashKey, index.rangeKey ?? []].flat())];
  const stack = {
    provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['111122223333'] }] },
    resource: {
      aws_dynamodb_table: {
        orders: {
          name: table.name,
          billing_mode: 'PAY_PER_REQUEST',
          hash_key: 'PK',
          range_key: 'SK',
          attribute: [...new Set(keyAttributes)].map((name) => ({ name, type: 'S' })),
          global_secondary_index: table.indexes.map((index) => ({
            name: index.name,
            hash_key: index.hashKey,
            ...(index.rangeKey ? { range_key: index.rangeKey } : {}),
            projection_type: index.projection ?? 'ALL',
          })),
          stream_enabled: true,
          stream_view_type: 'NEW_AND_OLD_IMAGES',
          ttl: { attribute_name: 'expiresAt', enabled: true },
          point_in_time_recovery: { enabled: true },
        },
      },
      aws_appsync_datasource: {
        orders_table: { api_id: 'api', name: 'orders_table', type: 'AMAZON_DYNAMODB', dynamodb_config: { region: 'eu-west-1', table_name: '${aws_dynamodb_table.orders.name}' } },
      },
    },
    output: { table_arn: { value: '${aws_dynamodb_table.orders.arn}' }, stream_arn: { value: '${aws_dynamodb_table.orders.stream_arn}' } },
  };
  mkdirSync(join(outdir, 'stacks', 'data'), { recursive: true });
  writeFileSync(join(outdir, 'stacks', 'data', 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({ stacks: { data: { name: 'data', dependencies: [], synthesizedStackPath: 'stacks/data/cdk.tf.json' } }, version: '0.21.0' }),
  );
  return outdir;
}

/** A sandbox running only the DynamoDB service over `outdir`, with its log lines collected. */
export async function startDynamoDbSandbox(outdir: string, dataRoot: string, reset = false) {
  const logs: Parameters<LogSink>[0][] = [];
  const model = new PlatformModel(outdir);
  // Port 0: any free port, so test files running in parallel never race for 8000.
  const service = dynamoDbService({ port: 0 });
  const sandbox = new Sandbox({ model, services: [service], dataRoot, reset, sink: (line) => logs.push(line) });
  await sandbox.start();
  return { sandbox, model, service, logs };
}
