import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '../../../sandbox/core/logger';
import { freePort, type Sandbox } from '../../../sandbox/core/sandbox';
import { dataSourceCapability } from '../../../sandbox/services/appsync/data-source';
import { DYNAMODB_CLIENT, DYNAMODB_ENDPOINT, dynamoDbLocalJarDir, startDynamoDbLocal, syncTables, tableSpec } from '../../../sandbox/services/dynamodb';
import { ORDERS_INDEXES, startDynamoDbSandbox, tempDir, writePlatform } from './fixture';
import { isAlive } from '../../../sandbox/core/processes';

const TABLE = 'orders-svc';
const dir = tempDir('ddb-service-');
const outdir = join(dir.path, 'cdktf.out');
const dataRoot = join(dir.path, 'data');
const pidFile = join(dataRoot, 'dynamodb', 'dynamodb-local.pid');
let started: Awaited<ReturnType<typeof startDynamoDbSandbox>> | undefined;

const client = () => started?.sandbox.registry.require<DynamoDBClient>(DYNAMODB_CLIENT) as DynamoDBClient;
const quietLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function restart(reset: boolean): Promise<number> {
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await started?.sandbox.stop();
  started = undefined;
  started = await startDynamoDbSandbox(outdir, dataRoot, reset);
  return pid;
}

beforeAll(async () => {
  writePlatform(outdir, { name: TABLE, indexes: ORDERS_INDEXES });
  started = await startDynamoDbSandbox(outdir, dataRoot);
});

afterAll(async () => {
  await (started?.sandbox as Sandbox | undefined)?.stop();
  dir.cleanup();
});

describe('dynamoDbService', () => {
  it('creates the synthesized table with its keys, indexes, stream, TTL and on-demand billing', async () => {
    const table = (await client().send(new DescribeTableCommand({ TableName: TABLE }))).Table;
    const ttl = (await client().send(new DescribeTimeToLiveCommand({ TableName: TABLE }))).TimeToLiveDescription;

    expect(table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    const indexes = table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema?.map((key) => key.AttributeName), index.Projection?.ProjectionType]);
    expect(indexes?.sort()).toEqual([
      ['GSI1', ['GSI1PK', 'GSI1SK'], 'ALL'],
      ['GSI2', ['GSI2PK', 'GSI2SK'], 'ALL'],
      ['GSI3', ['GSI3PK', 'GSI3SK'], 'ALL'],
      ['GSI4', ['GSI4PK', 'GSI4SK'], 'ALL'],
    ]);
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(ttl).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(started?.logs).toContainEqual({ level: 'info', component: 'dynamodb', message: `Table ${TABLE} created`, fields: undefined });
  });

  it('publishes its endpoint, a client and the AMAZON_DYNAMODB data source, and describes itself', () => {
    const endpoint = started?.sandbox.registry.require<string>(DYNAMODB_ENDPOINT);

    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started?.sandbox.registry.find(dataSourceCapability('AMAZON_DYNAMODB'))).toEqual(expect.any(Function));
    expect(started?.sandbox.describe()).toEqual([`DynamoDB Local   ${endpoint}  (tables: ${TABLE})`]);
  });

  it("answers the table's arn as AWS computes it and its stream ARN from DynamoDB Local", async () => {
    const table = (await client().send(new DescribeTableCommand({ TableName: TABLE }))).Table;

    expect(started?.model.output('data', 'table_arn')).toBe(`arn:aws:dynamodb:eu-west-1:111122223333:table/${TABLE}`);
    expect(started?.model.output('data', 'stream_arn')).toBe(table?.LatestStreamArn);
    expect(table?.LatestStreamArn).toMatch(new RegExp(`:table/${TABLE}/stream/`));
  });

  it('keeps data and a differing schema across a restart with a warning, and starts clean with reset', async () => {
    await client().send(new PutItemCommand({ TableName: TABLE, Item: { PK: { S: 'KEEP' }, SK: { S: 'ME' } } }));
    writePlatform(outdir, { name: TABLE, indexes: [...ORDERS_INDEXES, { name: 'GSI9', hashKey: 'GSI9PK', projection: 'KEYS_ONLY' }] });

    const firstPid = await restart(false);

    expect(isAlive(firstPid)).toBe(false);
    expect((await client().send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'KEEP' }, SK: { S: 'ME' } } }))).Item).toBeDefined();
    expect(started?.logs).toContainEqual({
      level: 'warn',
      component: 'dynamodb',
      message: `Table ${TABLE} keeps its persisted schema, which differs from the synthesized one; start with --reset to recreate it (its data is lost)`,
      fields: { differences: ['global index GSI9 is missing'] },
    });

    await restart(true);

    expect((await client().send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'KEEP' }, SK: { S: 'ME' } } }))).Item).toBeUndefined();
    const table = (await client().send(new DescribeTableCommand({ TableName: TABLE }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['GSI1', 'GSI2', 'GSI3', 'GSI4', 'GSI9']);
  });

  it('recreates a table whose schema differs only when reset is asked for', async () => {
    const spec = tableSpec({ name: 'reshaped', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] });
    await syncTables(client(), [spec], { reset: false, logger: quietLogger });
    const reshaped = { ...spec, keySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }, { AttributeName: 'at', KeyType: 'RANGE' as const }] };
    const attributes = [...spec.attributes, { AttributeName: 'at', AttributeType: 'N' as const }];

    const kept = await syncTables(client(), [{ ...reshaped, attributes }], { reset: false, logger: quietLogger });
    const recreated = await syncTables(client(), [{ ...reshaped, attributes }], { reset: true, logger: quietLogger });

    expect(kept.map((table) => table.outcome)).toEqual(['kept-different']);
    expect(recreated.map((table) => table.outcome)).toEqual(['recreated']);
    expect((await client().send(new DescribeTableCommand({ TableName: 'reshaped' }))).Table?.KeySchema).toEqual(reshaped.keySchema);
  });

  it('stops Java with the sandbox and leaves no process behind', async () => {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const endpoint = started?.sandbox.registry.require<string>(DYNAMODB_ENDPOINT) as string;

    await started?.sandbox.stop();

    expect(isAlive(pid)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    await expect(fetch(endpoint)).rejects.toThrow();
    started = undefined;
  });
});

describe('startDynamoDbLocal', () => {
  it('kills a DynamoDB Local that a crashed sandbox left running on the same data folder', async () => {
    const dbPath = join(dir.path, 'orphan');
    mkdirSync(dbPath, { recursive: true });
    const jarDir = dynamoDbLocalJarDir();
    const orphan = spawn('java', [`-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-jar', join(jarDir, 'DynamoDBLocal.jar'), '-port', '0', '-dbPath', dbPath, '-sharedDb', '-disableTelemetry'], {
      cwd: jarDir,
      detached: true,
      stdio: 'ignore',
    });
    writeFileSync(join(dbPath, 'dynamodb-local.pid'), String(orphan.pid));
    const warnings: string[] = [];
    const logger: Logger = { ...quietLogger, warn: (message) => warnings.push(message) };

    const local = await startDynamoDbLocal({ host: '127.0.0.1', port: await freePort('127.0.0.1'), dbPath, logger });
    await local.stop();

    expect(warnings).toEqual(['Stopping a DynamoDB Local left running by an earlier sandbox']);
    expect(isAlive(orphan.pid as number)).toBe(false);
  });

  it("fails with DynamoDB Local's own output when it cannot listen", async () => {
    const server: Server = createServer();
    await new Promise<void>((listening) => server.listen(0, '0.0.0.0', listening));
    const port = (server.address() as { port: number }).port;
    try {
      const outcome = await expectNoStart({ port, dbPath: join(dir.path, 'taken') });

      expect(outcome.message).toMatch(/^DynamoDB Local exited before it answered \(exit 1\)\nDynamoDB Local output ends with:\n[\s\S]*(Address already in use|BindException)/);
    } finally {
      server.close();
    }
  });

  it('asks for a Java runtime when there is none', async () => {
    const outcome = await expectNoStart({ java: join(dir.path, 'no-java', 'java') });

    expect(outcome.message).toMatch(/^DynamoDB Local needs a Java 17\+ runtime and .*no-java\/java cannot run \(.*ENOENT.*\)\. Install a JRE, e.g. on Debian\/Ubuntu: apt-get install -y openjdk-17-jre-headless$/);
  });
});

/** The error of a start that must fail; a start that succeeds is stopped, so no Java outlives the test. */
async function expectNoStart(options: Partial<Parameters<typeof startDynamoDbLocal>[0]>): Promise<Error> {
  const attempt = startDynamoDbLocal({ host: '127.0.0.1', port: await freePort('127.0.0.1'), dbPath: join(dir.path, 'never'), logger: quietLogger, ...options });
  const local = await attempt.catch(() => undefined);
  await local?.stop();
  expect(local).toBeUndefined();
  return attempt.then(
    () => new Error('started'),
    (error: Error) => error,
  );
}

