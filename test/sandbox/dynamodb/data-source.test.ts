import { createContext, executeResolver, type DataSourceResponse, type InvokeDataSource } from '../../../runtime/appsync';
import { batchDelete, batchGet, batchPut, get, put, query, remove, scan, transactGet, transactWrite, update } from '../../../runtime/appsync/dynamodb-helpers';
import { toMapValues } from '../../../runtime/appsync/util/dynamodb';
import type { Sandbox } from '../../../sandbox/core/sandbox';
import { dataSourceCapability, type DataSourceFactory, type DataSourceHandler } from '../../../sandbox/services/appsync/data-source';
import { admin, alice, bob, definition, TABLE } from '../../resolvers/harness';
import { ORDERS_INDEXES, startDynamoDbSandbox, tempDir, writePlatform } from './fixture';

// One DynamoDB Local for the whole file; requests are built with the same helpers the resolvers use,
// and the table is named as the resolver harness bundles the resolvers for.
const dir = tempDir('ddb-data-source-');
let sandbox: Sandbox;
let handler: DataSourceHandler;

beforeAll(async () => {
  const outdir = writePlatform(`${dir.path}/cdktf.out`, { name: TABLE, indexes: ORDERS_INDEXES });
  const started = await startDynamoDbSandbox(outdir, `${dir.path}/data`, true);
  sandbox = started.sandbox;
  const factory = sandbox.registry.require<DataSourceFactory>(dataSourceCapability('AMAZON_DYNAMODB'));
  const config = started.model.config(started.model.find('data', 'aws_appsync_datasource', 'orders_table'));
  handler = factory({ name: 'orders_table', type: 'AMAZON_DYNAMODB', config });
});

afterAll(async () => {
  await sandbox?.stop();
  dir.cleanup();
});

const send = (request: unknown): Promise<DataSourceResponse> => handler(request, createContext());

async function result(request: unknown): Promise<unknown> {
  const answer = await send(request);
  if ('error' in answer) throw new Error(`Unexpected data source error ${answer.error.type}: ${answer.error.message}`);
  return answer.result;
}

const product = (sku: string, price: number) => ({ PK: `PRODUCT#${sku}`, SK: 'PRODUCT', sku, price, GSI1PK: 'PRODUCTS', GSI1SK: sku });
const productKey = (sku: string) => ({ PK: `PRODUCT#${sku}`, SK: 'PRODUCT' });

describe('single-item operations', () => {
  it('puts an item and gets it back as plain JSON, numbers as numbers', async () => {
    const { PK, SK, ...rest } = { ...product('MUG', 1250), tags: ['a', 'b'], dimensions: { h: 9.5 }, gift: false, note: null };

    expect(await result(put({ key: { PK, SK }, item: rest }))).toEqual({ PK, SK, ...rest });
    expect(await result(get({ key: { PK, SK } }))).toEqual({ PK, SK, ...rest });
  });

  it('answers null for an item that does not exist', async () => {
    expect(await result(get({ key: productKey('NOPE') }))).toBeNull();
  });

  it('takes typed values with numbers as strings too, and sets, as the request type system allows', async () => {
    await result({ operation: 'PutItem', key: toMapValues(productKey('SET')), attributeValues: { price: { N: '12.50' }, sizes: { NS: [1, '2'] }, labels: { SS: ['x'] } } });

    expect(await result(get({ key: productKey('SET') }))).toMatchObject({ price: 12.5, sizes: [1, 2], labels: ['x'] });
  });

  it('fails a put whose condition fails with DynamoDB:ConditionalCheckFailedException and the current item', async () => {
    await result(put({ key: productKey('CUP'), item: { price: 900 } }));

    const answer = await send(put({ key: productKey('CUP'), item: { price: 1000 }, condition: { PK: { attributeExists: false } } }));

    expect(answer).toEqual({
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
      result: { ...productKey('CUP'), price: 900 },
    });
    expect(await result(get({ key: productKey('CUP') }))).toMatchObject({ price: 900 });
  });

  it('treats a put whose condition fails but which finds exactly its item as done, as AppSync does', async () => {
    await result(put({ key: productKey('BOWL'), item: { price: 700 } }));

    expect(await send(put({ key: productKey('BOWL'), item: { price: 700 }, condition: { PK: { attributeExists: false } } }))).toEqual({
      result: { ...productKey('BOWL'), price: 700 },
    });
  });

  it('updates with ALL_NEW and fails a failed condition with the current item', async () => {
    await result(put({ key: productKey('PLATE'), item: { price: 500, stock: 3 } }));

    expect(await result(update({ key: productKey('PLATE'), update: { stock: { type: 'OPERATION_DECREMENT', by: 1 } } }))).toEqual({
      ...productKey('PLATE'),
      price: 500,
      stock: 2,
    });
    const failed = await send({
      operation: 'UpdateItem',
      key: toMapValues(productKey('PLATE')),
      update: { expression: 'SET #stock = #stock - :one', expressionNames: { '#stock': 'stock' }, expressionValues: toMapValues({ ':one': 1 }) },
      condition: { expression: '#stock > :min', expressionNames: { '#stock': 'stock' }, expressionValues: toMapValues({ ':min': 5 }) },
    });
    expect(failed).toEqual({
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
      result: { ...productKey('PLATE'), price: 500, stock: 2 },
    });
  });

  it('deletes and answers the deleted item, or null when there was none', async () => {
    await result(put({ key: productKey('SPOON'), item: { price: 100 } }));

    expect(await result(remove({ key: productKey('SPOON') }))).toEqual({ ...productKey('SPOON'), price: 100 });
    expect(await result(remove({ key: productKey('SPOON') }))).toBeNull();
  });

  it('passes other DynamoDB errors on as DynamoDB:<Exception> with the SDK message', async () => {
    const answer = await send(get({ key: { PK: 'PRODUCT#X' } }));

    // DynamoDB Local's wording; AWS says 'The provided key element does not match the schema'.
    expect(answer).toEqual({ error: { message: 'The number of conditions on the keys is invalid', type: 'DynamoDB:ValidationException' } });
  });
});

describe('Query and Scan', () => {
  const skus = ['Q-A', 'Q-B', 'Q-C', 'Q-D', 'Q-E'];

  beforeAll(async () => {
    for (const [index, sku] of skus.entries()) {
      const { PK, SK, ...item } = { ...product(sku, index), GSI1PK: 'QUERY-TEST' };
      await result(put({ key: { PK, SK }, item }));
    }
  });

  it('pages through a GSI with limit and a nextToken that round-trips', async () => {
    const pages: { items: { sku: string }[]; nextToken: string | null; scannedCount: number }[] = [];
    let nextToken: string | null = null;
    do {
      const page = (await result(query({ index: 'GSI1', query: { GSI1PK: { eq: 'QUERY-TEST' } }, limit: 2, nextToken }))) as (typeof pages)[number];
      pages.push(page);
      nextToken = page.nextToken;
    } while (nextToken && pages.length < 10);

    expect(pages.map((page) => page.items.map((item) => item.sku))).toEqual([['Q-A', 'Q-B'], ['Q-C', 'Q-D'], ['Q-E']]);
    expect(pages.map((page) => page.scannedCount)).toEqual([2, 2, 1]);
    expect(typeof pages[0]?.nextToken).toBe('string');
    expect(pages[2]?.nextToken).toBeNull();
  });

  it('queries backwards with a key condition and a filter', async () => {
    const page = (await result(
      query({ index: 'GSI1', query: { GSI1PK: { eq: 'QUERY-TEST' }, GSI1SK: { beginsWith: 'Q-' } }, filter: { price: { ge: 2 } }, scanIndexForward: false }),
    )) as { items: { sku: string }[]; scannedCount: number };

    expect(page.items.map((item) => item.sku)).toEqual(['Q-E', 'Q-D', 'Q-C']);
    expect(page.scannedCount).toBe(5);
  });

  it('rejects a nextToken it never issued', async () => {
    const answer = await send(query({ index: 'GSI1', query: { GSI1PK: { eq: 'QUERY-TEST' } }, nextToken: 'forged' }));

    expect(answer).toEqual({ error: { message: 'request.nextToken is not a pagination token this data source issued', type: 'MappingTemplate' } });
  });

  it('scans with a filter', async () => {
    const page = (await result(scan({ filter: { GSI1PK: { eq: 'QUERY-TEST' }, price: { lt: 2 } } }))) as { items: { sku: string }[]; nextToken: null };

    expect(page.items.map((item) => item.sku).sort()).toEqual(['Q-A', 'Q-B']);
    expect(page.nextToken).toBeNull();
  });
});

describe('batch operations', () => {
  it('puts a batch, then gets it in key order with null for a missing key', async () => {
    const items = [product('B-1', 1), product('B-2', 2)];

    expect(await result(batchPut({ tables: { [TABLE]: items } }))).toEqual({ data: { [TABLE]: items }, unprocessedItems: { [TABLE]: [] } });
    expect(await result(batchGet({ tables: { [TABLE]: { keys: [productKey('B-2'), productKey('MISSING'), productKey('B-1')], consistentRead: true } } }))).toEqual({
      data: { [TABLE]: [items[1], null, items[0]] },
      unprocessedKeys: { [TABLE]: [] },
    });
  });

  it('matches items to keys even when the projection leaves the key attributes out', async () => {
    const answer = await result(batchGet({ tables: { [TABLE]: { keys: [productKey('MISSING'), productKey('B-1')], projection: ['price'] } } }));

    expect(answer).toEqual({ data: { [TABLE]: [null, { price: 1 }] }, unprocessedKeys: { [TABLE]: [] } });
  });

  it('deletes a batch and answers the keys', async () => {
    await result(batchPut({ tables: { [TABLE]: [product('D-1', 1)] } }));

    expect(await result(batchDelete({ tables: { [TABLE]: [productKey('D-1')] } }))).toEqual({ data: { [TABLE]: [productKey('D-1')] }, unprocessedKeys: { [TABLE]: [] } });
    expect(await result(get({ key: productKey('D-1') }))).toBeNull();
  });
});

describe('transactions', () => {
  it('gets items in request order, null for a missing one', async () => {
    await result(put({ key: productKey('T-1'), item: { price: 1 } }));

    expect(await result(transactGet({ items: [{ table: TABLE, key: productKey('NONE') }, { table: TABLE, key: productKey('T-1') }] }))).toEqual({
      items: [null, { ...productKey('T-1'), price: 1 }],
      cancellationReasons: null,
    });
  });

  it('writes all items and answers their keys', async () => {
    await result(put({ key: productKey('T-0'), item: { price: 0 } }));

    const answer = await result(
      transactWrite({
        items: [
          { putItem: { table: TABLE, key: productKey('T-2'), item: { price: 2 }, condition: { PK: { attributeExists: false } } } },
          { updateItem: { table: TABLE, key: productKey('T-1'), update: { price: 10 } } },
          { conditionCheck: { table: TABLE, key: productKey('T-0'), condition: { PK: { attributeExists: true } } } },
        ],
      }),
    );

    expect(answer).toEqual({ keys: [productKey('T-2'), productKey('T-1'), productKey('T-0')], cancellationReasons: null });
    expect(await result(get({ key: productKey('T-1') }))).toMatchObject({ price: 10 });
  });

  it('writes nothing when cancelled and answers the error with cancellationReasons in the result', async () => {
    const answer = await send(
      transactWrite({
        items: [
          { putItem: { table: TABLE, key: productKey('T-3'), item: { price: 3 }, condition: { PK: { attributeExists: false } } } },
          { putItem: { table: TABLE, key: productKey('T-2'), item: { price: 4 }, condition: { PK: { attributeExists: false } } } },
        ],
      }),
    );

    expect(answer).toEqual({
      error: {
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
        type: 'DynamoDB:TransactionCanceledException',
      },
      result: {
        keys: null,
        cancellationReasons: [
          { type: 'None', message: null },
          { type: 'ConditionalCheckFailed', message: 'The conditional request failed', item: { ...productKey('T-2'), price: 2 } },
        ],
      },
    });
    expect(await result(get({ key: productKey('T-3') }))).toBeNull();
  });
});

describe('malformed requests', () => {
  it.each([
    [{ operation: 'Nope' }, /^request\.operation must be one of GetItem, PutItem/],
    [{ operation: 'Sync' }, /^Sync needs a versioned data source/],
    [{ operation: 'GetItem', key: { PK: 'PRODUCT#X' } }, /^request\.key\.PK must be a typed value/],
    [{ operation: 'GetItem', key: { PK: { N: 'abc' } } }, /^request\.key\.PK\.N must be a number/],
    [{ operation: 'UpdateItem', key: toMapValues(productKey('X')) }, /^request\.update must be an object/],
  ])('answers %j with a MappingTemplate error', async (request, message) => {
    const answer = await send(request);

    expect(answer).toEqual({ error: { message: expect.stringMatching(message), type: 'MappingTemplate' } });
  });
});

describe('the orders resolvers, run by the APPSYNC_JS runtime against DynamoDB Local', () => {
  const invoke: InvokeDataSource = (_dataSource, request, ctx) => handler(request, ctx);
  const call = (field: string, identity: unknown, args: Record<string, unknown>) => {
    const [parentTypeName, fieldName] = field.split('.') as [string, string];
    return executeResolver(definition(field), createContext({ arguments: args, identity, info: { parentTypeName, fieldName } }), invoke);
  };

  it('creates an order from the catalogue, reads it, lists it, replays its idempotency key and cancels it once', async () => {
    const upserted = await call('Mutation.upsertProduct', admin, { input: { sku: 'E2E-MUG', name: 'Mug', price: 1250, currency: 'EUR', stock: 10 } });
    expect(upserted.errors).toEqual([]);

    const input = { items: [{ sku: 'E2E-MUG', quantity: 2 }], idempotencyKey: 'e2e-checkout-1' };
    const created = await call('Mutation.createOrder', alice, { input });
    expect(created.errors).toEqual([]);
    const order = created.data as { id: string; total: number; status: string };
    expect(order).toMatchObject({ owner: 'alice-sub', total: 2500, currency: 'EUR', status: 'PENDING' });

    // The raw item: GraphQL field selection, not the resolver, drops the key attributes.
    expect((await call('Query.getOrder', alice, { id: order.id })).data).toMatchObject(order);
    expect((await call('Query.getOrder', bob, { id: order.id })).data).toBeNull();
    expect((await call('Query.listOrders', admin, { status: 'PENDING' })).data).toEqual({ items: [expect.objectContaining({ id: order.id })], nextToken: null });

    const replayed = await call('Mutation.createOrder', alice, { input });
    expect(replayed.errors).toEqual([]);
    expect(replayed.data).toMatchObject({ id: order.id });

    const cancelled = await call('Mutation.cancelOrder', alice, { id: order.id, reason: 'changed my mind' });
    expect(cancelled.errors).toEqual([]);
    expect(cancelled.data).toMatchObject({ id: order.id, status: 'CANCELLED', statusReason: 'changed my mind' });
    const again = await call('Mutation.cancelOrder', alice, { id: order.id });
    expect(again.errors).toMatchObject([{ errorType: 'InvalidStateError' }]);
  });
});

