import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type StreamViewType,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { Logger } from '../../core/logger';

/** One index of a table as the sandbox compares and creates it. */
export interface IndexSpec {
  readonly name: string;
  readonly keySchema: KeySchemaElement[];
  readonly projection: Projection;
}

/** A table as the synthesized `aws_dynamodb_table` describes it. */
export interface TableSpec {
  readonly name: string;
  readonly keySchema: KeySchemaElement[];
  readonly attributes: AttributeDefinition[];
  readonly globalIndexes: IndexSpec[];
  readonly localIndexes: IndexSpec[];
  /** The stream view type, or undefined when the table has no stream. */
  readonly stream?: StreamViewType;
  /** The TTL attribute, or undefined when TTL is off. */
  readonly ttlAttribute?: string;
}

/** What happened to one table at start-up. */
export interface SyncedTable {
  readonly name: string;
  readonly outcome: 'created' | 'kept' | 'recreated' | 'kept-different';
  /** DynamoDB Local's stream ARN when the table has a stream. */
  readonly streamArn?: string;
}

type Block = Record<string, unknown>;

/** Terraform blocks arrive as an object (single nested block) or a list of objects. */
function blocks(value: unknown): Block[] {
  if (Array.isArray(value)) return value.filter((item): item is Block => typeof item === 'object' && item !== null);
  return typeof value === 'object' && value !== null ? [value as Block] : [];
}

function keySchema(hash: unknown, range: unknown): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: String(hash), KeyType: 'HASH' }];
  if (typeof range === 'string' && range !== '') schema.push({ AttributeName: range, KeyType: 'RANGE' });
  return schema;
}

function projection(index: Block): Projection {
  const type = String(index.projection_type ?? 'ALL') as Projection['ProjectionType'];
  const nonKey = Array.isArray(index.non_key_attributes) ? index.non_key_attributes.map(String) : [];
  return type === 'INCLUDE' ? { ProjectionType: type, NonKeyAttributes: nonKey } : { ProjectionType: type };
}

/** The table a resolved `aws_dynamodb_table` configuration describes. */
export function tableSpec(config: Record<string, unknown>): TableSpec {
  if (typeof config.name !== 'string' || typeof config.hash_key !== 'string') {
    throw new Error(`aws_dynamodb_table needs a name and a hash_key to run locally (got name ${JSON.stringify(config.name)})`);
  }
  const ttl = blocks(config.ttl)[0];
  return {
    name: config.name,
    keySchema: keySchema(config.hash_key, config.range_key),
    attributes: blocks(config.attribute).map((attribute) => ({
      AttributeName: String(attribute.name),
      AttributeType: String(attribute.type) as AttributeDefinition['AttributeType'],
    })),
    globalIndexes: blocks(config.global_secondary_index).map((index) => ({
      name: String(index.name),
      keySchema: keySchema(index.hash_key, index.range_key),
      projection: projection(index),
    })),
    localIndexes: blocks(config.local_secondary_index).map((index) => ({
      name: String(index.name),
      keySchema: keySchema(config.hash_key, index.range_key),
      projection: projection(index),
    })),
    ...(config.stream_enabled === true ? { stream: String(config.stream_view_type ?? 'NEW_AND_OLD_IMAGES') as StreamViewType } : {}),
    ...(ttl && ttl.enabled !== false && typeof ttl.attribute_name === 'string' && ttl.attribute_name !== '' ? { ttlAttribute: ttl.attribute_name } : {}),
  };
}

const keys = (schema: readonly KeySchemaElement[] | undefined) => (schema ?? []).map((key) => `${key.AttributeName}(${key.KeyType})`).join(' ');

const projected = (value: Projection | undefined) =>
  `${value?.ProjectionType ?? 'ALL'}${value?.NonKeyAttributes?.length ? ` [${[...value.NonKeyAttributes].sort().join(', ')}]` : ''}`;

function indexDifferences(kind: string, wanted: readonly IndexSpec[], existing: readonly { IndexName?: string; KeySchema?: KeySchemaElement[]; Projection?: Projection }[]): string[] {
  const differences: string[] = [];
  for (const index of wanted) {
    const found = existing.find((candidate) => candidate.IndexName === index.name);
    if (!found) differences.push(`${kind} ${index.name} is missing`);
    else if (keys(found.KeySchema) !== keys(index.keySchema)) differences.push(`${kind} ${index.name} has keys ${keys(found.KeySchema)}, not ${keys(index.keySchema)}`);
    else if (projected(found.Projection) !== projected(index.projection)) {
      differences.push(`${kind} ${index.name} projects ${projected(found.Projection)}, not ${projected(index.projection)}`);
    }
  }
  for (const found of existing) {
    if (!wanted.some((index) => index.name === found.IndexName)) differences.push(`${kind} ${found.IndexName} is not in the platform`);
  }
  return differences;
}

/** How an existing table's keys and indexes differ from the spec; empty when they match. */
export function schemaDifferences(spec: TableSpec, table: TableDescription): string[] {
  const differences: string[] = [];
  if (keys(table.KeySchema) !== keys(spec.keySchema)) differences.push(`key schema is ${keys(table.KeySchema)}, not ${keys(spec.keySchema)}`);
  for (const attribute of table.AttributeDefinitions ?? []) {
    const wanted = spec.attributes.find((candidate) => candidate.AttributeName === attribute.AttributeName);
    if (wanted && wanted.AttributeType !== attribute.AttributeType) {
      differences.push(`attribute ${attribute.AttributeName} has type ${attribute.AttributeType}, not ${wanted.AttributeType}`);
    }
  }
  differences.push(...indexDifferences('global index', spec.globalIndexes, table.GlobalSecondaryIndexes ?? []));
  differences.push(...indexDifferences('local index', spec.localIndexes, table.LocalSecondaryIndexes ?? []));
  return differences;
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function create(client: DynamoDBClient, spec: TableSpec): Promise<void> {
  const index = (entry: IndexSpec) => ({ IndexName: entry.name, KeySchema: entry.keySchema, Projection: entry.projection });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: spec.name,
        KeySchema: spec.keySchema,
        AttributeDefinitions: spec.attributes,
        BillingMode: 'PAY_PER_REQUEST',
        ...(spec.globalIndexes.length > 0 ? { GlobalSecondaryIndexes: spec.globalIndexes.map(index) } : {}),
        ...(spec.localIndexes.length > 0 ? { LocalSecondaryIndexes: spec.localIndexes.map(index) } : {}),
        ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {}),
      }),
    );
  } catch (error) {
    throw new Error(`Cannot create DynamoDB table ${spec.name}: ${(error as Error).message}`, { cause: error });
  }
}

/** Streams and TTL can change in place, so an existing table is brought in line without losing data. */
async function alignStream(client: DynamoDBClient, spec: TableSpec, table: TableDescription): Promise<void> {
  const current = table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined;
  if (current === spec.stream) return;
  if (current) await client.send(new UpdateTableCommand({ TableName: spec.name, StreamSpecification: { StreamEnabled: false } }));
  if (spec.stream) await client.send(new UpdateTableCommand({ TableName: spec.name, StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } }));
}

async function alignTtl(client: DynamoDBClient, spec: TableSpec): Promise<void> {
  const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: spec.name }))).TimeToLiveDescription;
  const current = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING' ? ttl.AttributeName : undefined;
  if (current === spec.ttlAttribute) return;
  const update = (AttributeName: string, Enabled: boolean) =>
    client.send(new UpdateTimeToLiveCommand({ TableName: spec.name, TimeToLiveSpecification: { AttributeName, Enabled } }));
  if (current) await update(current, false);
  if (spec.ttlAttribute) await update(spec.ttlAttribute, true);
}

/**
 * Makes DynamoDB Local hold the platform's tables. A table that does not exist is created. One that
 * exists (persisted from an earlier run) is kept with its data when its key schema and indexes match the
 * synthesized ones; its stream and TTL settings are then updated in place. When keys or indexes differ,
 * the data was written for another schema: it is kept, with a warning naming the differences, unless
 * the sandbox starts with `--reset`, which drops and recreates the table. Tables the platform does not
 * define are left alone.
 */
export async function syncTables(client: DynamoDBClient, specs: readonly TableSpec[], options: { reset: boolean; logger: Logger }): Promise<SyncedTable[]> {
  const synced: SyncedTable[] = [];
  for (const spec of specs) {
    let table = await describe(client, spec.name);
    let outcome: SyncedTable['outcome'] = 'kept';
    const differences = table ? schemaDifferences(spec, table) : [];
    if (!table) {
      await create(client, spec);
      outcome = 'created';
    } else if (differences.length > 0 && options.reset) {
      await client.send(new DeleteTableCommand({ TableName: spec.name }));
      await create(client, spec);
      outcome = 'recreated';
    } else if (differences.length > 0) {
      options.logger.warn(`Table ${spec.name} keeps its persisted schema, which differs from the synthesized one; start with --reset to recreate it (its data is lost)`, {
        differences,
      });
      outcome = 'kept-different';
    }
    if (outcome === 'kept' || outcome === 'kept-different') await alignStream(client, spec, table as TableDescription);
    await alignTtl(client, spec);
    table = await describe(client, spec.name);
    synced.push({ name: spec.name, outcome, ...(table?.LatestStreamArn && table.StreamSpecification?.StreamEnabled ? { streamArn: table.LatestStreamArn } : {}) });
  }
  return synced;
}
