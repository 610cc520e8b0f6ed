import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SandboxService } from '../../core/service';
import { dataSourceCapability } from '../appsync/data-source';
import { tableAttributes } from './attributes';
import { dynamoDbDataSource } from './data-source';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { syncTables, tableSpec } from './tables';

/** Registry key of DynamoDB Local's URL (`http://127.0.0.1:8000`). */
export const DYNAMODB_ENDPOINT = 'dynamodb.endpoint';
/** Registry key of a `DynamoDBClient` configured for DynamoDB Local (dummy credentials, the platform's region). */
export const DYNAMODB_CLIENT = 'dynamodb.client';

/** Options of the DynamoDB service. */
export interface DynamoDbServiceOptions {
  /** Port tried first; another free one is used when it is taken. @default 8000 */
  readonly port?: number;
  /** How long DynamoDB Local may take to answer. @default 30000 */
  readonly startTimeoutMs?: number;
}

/**
 * Runs the platform's `aws_dynamodb_table`s on DynamoDB Local (persisted under the sandbox data folder)
 * and publishes its endpoint, a client, and the AppSync AMAZON_DYNAMODB data source.
 */
export function dynamoDbService(options: DynamoDbServiceOptions = {}): SandboxService {
  const streamArns = new Map<string, string>();
  let local: DynamoDbLocal | undefined;
  let client: DynamoDBClient | undefined;
  let tableNames: string[] = [];

  const stop = async () => {
    client?.destroy();
    client = undefined;
    const running = local;
    local = undefined;
    await running?.stop();
  };

  return {
    name: 'dynamodb',
    runs: ['aws_dynamodb_table'],
    attributes: { aws_dynamodb_table: tableAttributes(streamArns) },
    async start(context) {
      const logger = context.logger('dynamodb');
      const { model } = context;
      // Read the tables first, so a configuration the sandbox cannot run fails before Java starts.
      const specs = model.resources('aws_dynamodb_table').map((resource) => tableSpec(model.config(resource)));
      local = await startDynamoDbLocal({
        host: context.host,
        port: await context.port(options.port ?? 8000),
        dbPath: context.dataDir('dynamodb'),
        logger,
        ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
      });
      logger.info(`DynamoDB Local answered after ${local.startMs} ms`, { endpoint: local.endpoint });
      try {
        client = new DynamoDBClient({ endpoint: local.endpoint, region: model.region, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } });
        const synced = await syncTables(client, specs, { reset: context.reset, logger });
        for (const table of synced) {
          logger.info(`Table ${table.name} ${table.outcome}`);
          if (table.streamArn) streamArns.set(table.name, table.streamArn);
        }
        tableNames = synced.map((table) => table.name);
        context.registry.provide(DYNAMODB_ENDPOINT, local.endpoint);
        context.registry.provide(DYNAMODB_CLIENT, client);
        context.registry.provide(dataSourceCapability('AMAZON_DYNAMODB'), dynamoDbDataSource(client));
      } catch (error) {
        // The sandbox only stops services whose start succeeded; Java must not outlive a failed one.
        await stop();
        throw error;
      }
    },
    stop,
    describe() {
      return local ? [`DynamoDB Local   ${local.endpoint}  (tables: ${tableNames.join(', ') || 'none'})`] : [];
    },
  };
}
