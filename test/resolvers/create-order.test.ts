import { alice, cleared, iamCaller, published, run, ScriptedDataSource, storedOrder, TABLE } from './harness';

const mug = { PK: 'PRODUCT#SKU-1', SK: 'PRODUCT', sku: 'SKU-1', name: 'Mug', price: 1250, currency: 'EUR', stock: 10 };
const tea = { PK: 'PRODUCT#SKU-2', SK: 'PRODUCT', sku: 'SKU-2', name: 'Tea', price: 499, currency: 'EUR', stock: 3 };

/** The catalogue answers a batch read with the products (null where a key has no item, in key order). */
function catalogue(...items: unknown[]) {
  return { result: { data: { [TABLE]: items }, unprocessedKeys: { [TABLE]: [] } } };
}

type TransactItem = { table: string; operation: string; key: Record<string, { S: string }>; attributeValues: Record<string, { S?: string; N?: number | string; M?: unknown }>; condition: unknown };
type Transaction = { operation: string; transactItems: TransactItem[] };
type PutEvents = { operation: string; events: { source: string; detailType: string; detail: Record<string, unknown> }[] };

describe('Mutation.createOrder', () => {
  it('prices the order from the catalogue, never from the client, and writes it with its index keys and its event', async () => {
    const table = new ScriptedDataSource(catalogue(mug, tea), { result: { keys: [] } }, published, cleared);
    const outcome = await run('Mutation.createOrder', alice, {
      // A client that tries to send its own prices: the input type has no such field and the resolver ignores it.
      input: { items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1 }, { sku: 'SKU-2', quantity: 1, price: 0 }] },
    }, table);

    expect(outcome.errors).toEqual([]);
    expect(table.requests[0]).toEqual({
      operation: 'BatchGetItem',
      tables: { [TABLE]: { keys: [{ PK: { S: 'PRODUCT#SKU-1' }, SK: { S: 'PRODUCT' } }, { PK: { S: 'PRODUCT#SKU-2' }, SK: { S: 'PRODUCT' } }], consistentRead: true } },
    });
    const order = outcome.data as Record<string, unknown>;
    expect(order).toMatchObject({
      owner: 'alice-sub',
      status: 'PENDING',
      currency: 'EUR',
      total: 2 * 1250 + 499,
      items: [
        { sku: 'SKU-1', name: 'Mug', quantity: 2, unitPrice: 1250 },
        { sku: 'SKU-2', name: 'Tea', quantity: 1, unitPrice: 499 },
      ],
    });
    expect(order.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const write = table.requests[1] as Transaction;
    expect(write.operation).toBe('TransactWriteItems');
    expect(write.transactItems.map((item) => item.key.SK?.S)).toEqual(['ORDER', `EVENT#OrderCreated:${order.id}`]);
    const put = write.transactItems[0]!;
    expect(put).toMatchObject({ table: TABLE, operation: 'PutItem', key: { PK: { S: `ORDER#${order.id}` }, SK: { S: 'ORDER' } } });
    expect(put.attributeValues.GSI1PK).toEqual({ S: 'CUSTOMER#alice-sub' });
    expect(put.attributeValues.GSI2PK).toEqual({ S: 'CUSTOMER#alice-sub#STATUS#PENDING' });
    expect(put.attributeValues.GSI3PK).toEqual({ S: 'STATUS#PENDING' });
    expect(put.condition).toEqual({ expression: 'attribute_not_exists(#PK)', expressionNames: { '#PK': 'PK' } });
    expect(write.transactItems[1]!.attributeValues.GSI4PK).toEqual({ S: 'OUTBOX' });
  });

  it('publishes OrderCreated through the EventBridge data source, then clears it from the outbox', async () => {
    const table = new ScriptedDataSource(catalogue(mug), { result: { keys: [] } }, published, cleared);
    const outcome = await run('Mutation.createOrder', alice, { input: { items: [{ sku: 'SKU-1', quantity: 2 }] } }, table);
    const order = outcome.data as { id: string; createdAt: string };
    expect(table.dataSources).toEqual(['orders_table', 'orders_table', 'order_events', 'orders_table']);
    expect(table.requests[2]).toEqual({
      operation: 'PutEvents',
      events: [
        {
          source: 'orders.api',
          detailType: 'OrderCreated',
          detail: {
            eventId: `OrderCreated:${order.id}`,
            eventVersion: 1,
            correlationId: order.id,
            occurredAt: order.createdAt,
            producer: 'appsync:createOrder',
            data: { orderId: order.id, owner: 'alice-sub', items: [{ sku: 'SKU-1', name: 'Mug', quantity: 2, unitPrice: 1250 }], total: 2500, currency: 'EUR', createdAt: order.createdAt },
          },
        },
      ],
    });
    expect(table.requests[3]).toEqual({
      operation: 'BatchDeleteItem',
      tables: { [TABLE]: [{ PK: { S: `ORDER#${order.id}` }, SK: { S: `EVENT#OrderCreated:${order.id}` } }] },
    });
  });

  it('still answers with the accepted order when the publish fails, leaving the event in the outbox', async () => {
    const table = new ScriptedDataSource(catalogue(mug), { result: { keys: [] } }, { error: { message: 'Service unavailable', type: 'EventBridge:ServiceUnavailable' } });
    const outcome = await run('Mutation.createOrder', alice, { input: { items: [{ sku: 'SKU-1', quantity: 1 }] } }, table);
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toMatchObject({ status: 'PENDING', total: 1250 });
    expect(table.requests).toHaveLength(3);
    expect(outcome.logs.some((log) => log.level === 'error' && log.message.includes('outbox'))).toBe(true);
  });

  it('treats entries EventBridge refused like a failed publish', async () => {
    const refused = { result: { Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }], FailedEntryCount: 1 } };
    const table = new ScriptedDataSource(catalogue(mug), { result: { keys: [] } }, refused);
    const outcome = await run('Mutation.createOrder', alice, { input: { items: [{ sku: 'SKU-1', quantity: 1 }] } }, table);
    expect(outcome.errors).toEqual([]);
    expect(table.requests).toHaveLength(3);
  });

  it('remembers an idempotency key in the same transaction, with a TTL', async () => {
    const table = new ScriptedDataSource(catalogue(mug, null), { result: { keys: [] } }, published, cleared);
    const outcome = await run('Mutation.createOrder', alice, { input: { items: [{ sku: 'SKU-1', quantity: 1 }], idempotencyKey: 'checkout-42' } }, table);
    expect(outcome.errors).toEqual([]);
    const batch = table.requests[0] as { tables: Record<string, { keys: unknown[] }> };
    expect(batch.tables[TABLE]!.keys[1]).toEqual({ PK: { S: 'IDEMPOTENCY#alice-sub#checkout-42' }, SK: { S: 'IDEMPOTENCY' } });
    const write = table.requests[1] as Transaction;
    expect(write.transactItems).toHaveLength(3);
    const remembered = write.transactItems[2]!;
    expect(remembered.key).toEqual({ PK: { S: 'IDEMPOTENCY#alice-sub#checkout-42' }, SK: { S: 'IDEMPOTENCY' } });
    expect(remembered.attributeValues.orderId).toEqual({ S: (outcome.data as { id: string }).id });
    const expiresAt = Number(remembered.attributeValues.expiresAt!.N);
    expect(expiresAt - Date.now() / 1000).toBeGreaterThan(24 * 3600 - 60);
  });

  it('returns the earlier order for a reused idempotency key, writing nothing and publishing what it left unpublished', async () => {
    const remembered = { PK: 'IDEMPOTENCY#alice-sub#checkout-42', SK: 'IDEMPOTENCY', orderId: '01JORDER' };
    const unpublished = {
      PK: 'ORDER#01JORDER',
      SK: 'EVENT#OrderCreated:01JORDER',
      source: 'orders.api',
      detailType: 'OrderCreated',
      detail: { eventId: 'OrderCreated:01JORDER', correlationId: '01JORDER' },
    };
    const table = new ScriptedDataSource(catalogue(mug, remembered), { result: { items: [storedOrder(), unpublished] } }, published, cleared);
    const outcome = await run('Mutation.createOrder', alice, { input: { items: [{ sku: 'SKU-1', quantity: 1 }], idempotencyKey: 'checkout-42' } }, table);
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toEqual(storedOrder());
    expect(table.requests[1]).toMatchObject({ operation: 'Query', consistentRead: true, query: { expressionValues: { ':PK_eq': { S: 'ORDER#01JORDER' } } } });
    expect((table.requests[2] as PutEvents).events).toEqual([{ source: 'orders.api', detailType: 'OrderCreated', detail: unpublished.detail }]);
    expect(table.requests[3]).toMatchObject({ operation: 'BatchDeleteItem' });
    expect(table.requests.map((request) => (request as { operation: string }).operation)).not.toContain('TransactWriteItems');
  });

  it('reports a lost race on the idempotency key as a conflict the client can retry', async () => {
    const table = new ScriptedDataSource(catalogue(mug, null), {
      error: { message: 'Transaction cancelled', type: 'DynamoDB:TransactionCanceledException' },
      result: { cancellationReasons: [{ type: 'None' }, { type: 'None' }, { type: 'ConditionalCheckFailed' }] },
    });
    const outcome = await run('Mutation.createOrder', alice, { input: { items: [{ sku: 'SKU-1', quantity: 1 }], idempotencyKey: 'checkout-42' } }, table);
    expect(outcome.data).toBeNull();
    expect(outcome.errors).toMatchObject([{ errorType: 'ConflictError', message: 'input.idempotencyKey is being used by a concurrent request; retry to get its order' }]);
  });

  it.each([
    [{ items: [] }, 'input.items must have 1 to 50 items'],
    [{ items: Array.from({ length: 51 }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 })) }, 'input.items must have 1 to 50 items'],
    [{ items: [{ sku: 'SKU-1', quantity: 0 }] }, 'input.items[0].quantity must be a positive integer of at most 1000'],
    [{ items: [{ sku: 'SKU-1', quantity: 1.5 }] }, 'input.items[0].quantity must be a positive integer of at most 1000'],
    [{ items: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-1', quantity: 2 }] }, 'input.items[1].sku must appear only once per order'],
    [{ items: [{ sku: 'bad sku', quantity: 1 }] }, 'input.items[0].sku must be 2-32 upper-case letters, digits or dashes, starting with a letter or digit'],
    [{ items: [{ sku: 'SKU-1', quantity: 1 }], idempotencyKey: 'short' }, 'input.idempotencyKey must be 8-64 letters, digits, _ or -'],
  ])('rejects %j before reading anything: %s', async (input, message) => {
    const table = new ScriptedDataSource();
    const outcome = await run('Mutation.createOrder', alice, { input }, table);
    expect(table.requests).toEqual([]);
    expect(outcome.data).toBeNull();
    expect(outcome.errors).toMatchObject([{ errorType: 'ValidationError', message }]);
  });

  it('names every catalogue problem at once: unknown sku, short stock, mixed currencies', async () => {
    const dollars = { ...tea, currency: 'USD' };
    const table = new ScriptedDataSource(catalogue(mug, null, dollars));
    const outcome = await run('Mutation.createOrder', alice, {
      input: { items: [{ sku: 'SKU-1', quantity: 11 }, { sku: 'SKU-9', quantity: 1 }, { sku: 'SKU-2', quantity: 1 }] },
    }, table);
    expect(table.requests).toHaveLength(1);
    expect(outcome.errors).toMatchObject([
      {
        errorType: 'ValidationError',
        message:
          'input.items[0].quantity exceeds the 10 in stock; input.items[1].sku names no product (SKU-9); input.items must all be priced in one currency (found EUR, USD)',
        errorInfo: { problems: expect.arrayContaining([{ field: 'input.items[1].sku', rule: 'names no product (SKU-9)' }]) },
      },
    ]);
  });

  it('only serves user pool callers', async () => {
    const outcome = await run('Mutation.createOrder', iamCaller, { input: { items: [{ sku: 'SKU-1', quantity: 1 }] } });
    expect(outcome.unauthorized).toBe(true);
  });
});
