import { admin, alice, run, ScriptedDataSource } from './harness';

const product = { sku: 'SKU-1', name: ' Mug ', description: 'Stoneware', price: 1250, currency: 'EUR', stock: 10 };

describe('Mutation.upsertProduct', () => {
  it('writes the product with its catalogue index keys and keeps createdAt on replace', async () => {
    const table = new ScriptedDataSource({ result: { ...product, name: 'Mug' } });
    const outcome = await run('Mutation.upsertProduct', admin, { input: product }, table);
    expect(outcome.errors).toEqual([]);
    const request = table.requests[0] as { operation: string; key: unknown; update: { expression: string; expressionValues: Record<string, unknown> } };
    expect(request.operation).toBe('UpdateItem');
    expect(request.key).toEqual({ PK: { S: 'PRODUCT#SKU-1' }, SK: { S: 'PRODUCT' } });
    expect(request.update.expression).toContain('#createdAt = if_not_exists(#createdAt, :now)');
    expect(request.update.expressionValues).toMatchObject({
      ':name': { S: 'Mug' },
      ':price': { N: 1250 },
      ':GSI1PK': { S: 'PRODUCTS' },
      ':GSI1SK': { S: 'SKU-1' },
      ':description': { S: 'Stoneware' },
    });
  });

  it('is for admins only', async () => {
    const table = new ScriptedDataSource();
    const outcome = await run('Mutation.upsertProduct', alice, { input: product }, table);
    expect(outcome.unauthorized).toBe(true);
    expect(table.requests).toEqual([]);
  });

  it('names every broken rule', async () => {
    const outcome = await run('Mutation.upsertProduct', admin, { input: { sku: 'SKU-1', name: '', price: -1, currency: 'euro', stock: 1.5 } });
    expect(outcome.errors).toMatchObject([
      {
        errorType: 'ValidationError',
        message:
          'input.name must be 1-200 characters; input.price must be a positive integer amount in minor units, at most 100000000; ' +
          'input.currency must be a three-letter ISO 4217 code; input.stock must be an integer from 0 to 1000000',
      },
    ]);
  });
});

describe('Subscription.onOrderUpdated', () => {
  it("filters a customer's subscription to their own orders", async () => {
    const outcome = await run('Subscription.onOrderUpdated', alice, {});
    expect(outcome.errors).toEqual([]);
    expect(outcome.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'alice-sub' }] }] });
  });

  it('narrows to one order when asked, still only among their own', async () => {
    const outcome = await run('Subscription.onOrderUpdated', alice, { id: '01JORDER' });
    expect(outcome.subscriptionFilter).toEqual({
      filterGroup: [{ filters: [
        { fieldName: 'owner', operator: 'eq', value: 'alice-sub' },
        { fieldName: 'id', operator: 'eq', value: '01JORDER' },
      ] }],
    });
  });

  it('lets admins hear about every order', async () => {
    const outcome = await run('Subscription.onOrderUpdated', admin, {});
    expect(outcome.errors).toEqual([]);
    expect(outcome.subscriptionFilter).toBeUndefined();
  });
});
