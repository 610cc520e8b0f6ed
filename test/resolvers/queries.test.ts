import { admin, alice, bob, iamCaller, run, ScriptedDataSource, storedOrder } from './harness';

describe('Query.getOrder', () => {
  it('reads one order by its key', async () => {
    const table = new ScriptedDataSource({ result: storedOrder() });
    const outcome = await run('Query.getOrder', alice, { id: '01JORDER' }, table);
    expect(table.requests).toEqual([
      { operation: 'GetItem', key: { PK: { S: 'ORDER#01JORDER' }, SK: { S: 'ORDER' } } },
    ]);
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toMatchObject({ id: '01JORDER', owner: 'alice-sub', total: 2500 });
  });

  it("never shows a customer another customer's order: it looks like a missing one", async () => {
    const outcome = await run('Query.getOrder', bob, { id: '01JORDER' }, new ScriptedDataSource({ result: storedOrder() }));
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toBeNull();
  });

  it('lets an admin read any order', async () => {
    const outcome = await run('Query.getOrder', admin, { id: '01JORDER' }, new ScriptedDataSource({ result: storedOrder() }));
    expect(outcome.data).toMatchObject({ id: '01JORDER', owner: 'alice-sub' });
  });

  it('answers null for an unknown order', async () => {
    const outcome = await run('Query.getOrder', alice, { id: 'nope' }, new ScriptedDataSource({ result: null }));
    expect(outcome.data).toBeNull();
  });

  it('rejects a malformed id before touching the table', async () => {
    const table = new ScriptedDataSource();
    const outcome = await run('Query.getOrder', alice, { id: 'ORDER#1' }, table);
    expect(table.requests).toEqual([]);
    expect(outcome.errors).toMatchObject([{ errorType: 'ValidationError', message: 'id must be 1-64 letters, digits, _ or -' }]);
  });

  it('refuses callers without a user pool identity', async () => {
    const outcome = await run('Query.getOrder', iamCaller, { id: '01JORDER' });
    expect(outcome.unauthorized).toBe(true);
    expect(outcome.errors).toMatchObject([{ errorType: 'Unauthorized', message: 'Not Authorized to access getOrder on type Query' }]);
  });
});

describe('Query.listMyOrders', () => {
  it("queries the caller's partition of GSI1, newest first, 20 per page by default", async () => {
    const table = new ScriptedDataSource({ result: { items: [storedOrder()], nextToken: 'next-page' } });
    const outcome = await run('Query.listMyOrders', alice, {}, table);
    expect(table.requests).toEqual([
      {
        operation: 'Query',
        index: 'GSI1',
        query: { expression: '#GSI1PK = :GSI1PK_eq', expressionNames: { '#GSI1PK': 'GSI1PK' }, expressionValues: { ':GSI1PK_eq': { S: 'CUSTOMER#alice-sub' } } },
        limit: 20,
        scanIndexForward: false,
      },
    ]);
    expect(outcome.data).toEqual({ items: [storedOrder()], nextToken: 'next-page' });
  });

  it('filters by status with a key condition on GSI2, not a filter or a scan, and passes the page token on', async () => {
    const table = new ScriptedDataSource({ result: { items: [] } });
    const outcome = await run('Query.listMyOrders', alice, { status: 'SHIPPED', limit: 5, nextToken: 'token-1' }, table);
    expect(table.requests).toEqual([
      expect.objectContaining({
        operation: 'Query',
        index: 'GSI2',
        query: expect.objectContaining({ expressionValues: { ':GSI2PK_eq': { S: 'CUSTOMER#alice-sub#STATUS#SHIPPED' } } }),
        limit: 5,
        nextToken: 'token-1',
      }),
    ]);
    expect(table.requests[0]).not.toHaveProperty('filter');
    expect(outcome.data).toEqual({ items: [], nextToken: null });
  });

  it('rejects a page size outside 1-100', async () => {
    const outcome = await run('Query.listMyOrders', alice, { limit: 500 });
    expect(outcome.errors).toMatchObject([{ errorType: 'ValidationError', message: 'limit must be an integer from 1 to 100' }]);
  });
});

describe('Query.listOrders', () => {
  it('lets admins list every order in one status, oldest first, from GSI3', async () => {
    const table = new ScriptedDataSource({ result: { items: [storedOrder()] } });
    const outcome = await run('Query.listOrders', admin, { status: 'PENDING' }, table);
    expect(table.requests).toEqual([
      expect.objectContaining({ index: 'GSI3', scanIndexForward: true, query: expect.objectContaining({ expressionValues: { ':GSI3PK_eq': { S: 'STATUS#PENDING' } } }) }),
    ]);
    expect(outcome.data).toEqual({ items: [storedOrder()], nextToken: null });
  });

  it('refuses customers', async () => {
    const outcome = await run('Query.listOrders', alice, { status: 'PENDING' });
    expect(outcome.unauthorized).toBe(true);
  });
});

describe('catalogue queries', () => {
  it('getProduct reads one product by sku', async () => {
    const table = new ScriptedDataSource({ result: { sku: 'SKU-1', name: 'Mug' } });
    const outcome = await run('Query.getProduct', alice, { sku: 'SKU-1' }, table);
    expect(table.requests).toEqual([{ operation: 'GetItem', key: { PK: { S: 'PRODUCT#SKU-1' }, SK: { S: 'PRODUCT' } } }]);
    expect(outcome.data).toEqual({ sku: 'SKU-1', name: 'Mug' });
  });

  it('getProduct names the sku rule', async () => {
    const outcome = await run('Query.getProduct', alice, { sku: 'lower' });
    expect(outcome.errors).toMatchObject([
      { errorType: 'ValidationError', message: 'sku must be 2-32 upper-case letters, digits or dashes, starting with a letter or digit' },
    ]);
  });

  it('listProducts queries the catalogue partition of GSI1', async () => {
    const table = new ScriptedDataSource({ result: { items: [{ sku: 'SKU-1' }], nextToken: 'n' } });
    const outcome = await run('Query.listProducts', alice, { limit: 10 }, table);
    expect(table.requests).toEqual([
      expect.objectContaining({ operation: 'Query', index: 'GSI1', limit: 10, query: expect.objectContaining({ expressionValues: { ':GSI1PK_eq': { S: 'PRODUCTS' } } }) }),
    ]);
    expect(outcome.data).toEqual({ items: [{ sku: 'SKU-1' }], nextToken: 'n' });
  });
});
