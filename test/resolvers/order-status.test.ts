import { admin, alice, bob, cleared, iamCaller, published, run, ScriptedDataSource, storedOrder } from './harness';

type UpdateRequest = {
  operation: string;
  key: unknown;
  update: { expression: string; expressionValues: Record<string, { S: string }> };
  condition: { expression: string; expressionValues: Record<string, { S: string }> };
};

describe('Mutation.cancelOrder', () => {
  type Transaction = { operation: string; transactItems: (UpdateRequest & { table: string; attributeValues?: Record<string, unknown> })[] };

  it("cancels the owner's pending order and records OrderCancelled in the same transaction, re-checking owner and status", async () => {
    const table = new ScriptedDataSource({ result: storedOrder() }, { result: { keys: [] } }, published, cleared);
    const outcome = await run('Mutation.cancelOrder', alice, { id: '01JORDER', reason: 'changed my mind' }, table);
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toMatchObject({ id: '01JORDER', owner: 'alice-sub', status: 'CANCELLED', statusReason: 'changed my mind', total: 2500 });
    expect(table.requests[0]).toEqual({ operation: 'GetItem', key: { PK: { S: 'ORDER#01JORDER' }, SK: { S: 'ORDER' } }, consistentRead: true });
    const write = table.requests[1] as Transaction;
    expect(write.operation).toBe('TransactWriteItems');
    const update = write.transactItems[0]!;
    expect(update.operation).toBe('UpdateItem');
    expect(update.update.expression).toBe('SET #status = :status, #updatedAt = :now, #GSI2PK = :GSI2PK, #GSI3PK = :GSI3PK, #statusReason = :reason');
    expect(update.update.expressionValues[':status']).toEqual({ S: 'CANCELLED' });
    expect(update.update.expressionValues[':GSI2PK']).toEqual({ S: 'CUSTOMER#alice-sub#STATUS#CANCELLED' });
    expect(update.update.expressionValues[':GSI3PK']).toEqual({ S: 'STATUS#CANCELLED' });
    expect(update.condition.expression).toBe('#owner = :owner AND #status IN (:from0, :from1)');
    expect(update.condition.expressionValues).toEqual({ ':owner': { S: 'alice-sub' }, ':from0': { S: 'PENDING' }, ':from1': { S: 'RESERVED' } });
    expect(write.transactItems[1]!.key).toEqual({ PK: { S: 'ORDER#01JORDER' }, SK: { S: 'EVENT#OrderCancelled:01JORDER' } });
    expect(table.requests[2]).toMatchObject({
      operation: 'PutEvents',
      events: [{ source: 'orders.api', detailType: 'OrderCancelled', detail: { eventId: 'OrderCancelled:01JORDER', data: { orderId: '01JORDER', owner: 'alice-sub', previousStatus: 'PENDING', reason: 'changed my mind' } } }],
    });
    expect(table.dataSources).toEqual(['orders_table', 'orders_table', 'order_events', 'orders_table']);
  });

  it("cannot touch another customer's order, and says nothing about whether it exists", async () => {
    const table = new ScriptedDataSource({ result: storedOrder() });
    const outcome = await run('Mutation.cancelOrder', bob, { id: '01JORDER' }, table);
    expect(table.requests).toHaveLength(1);
    expect(outcome.errors).toMatchObject([{ errorType: 'NotFound', message: 'id: no order 01JORDER belongs to you' }]);
  });

  it('is not an admin override either: only the owner cancels', async () => {
    const outcome = await run('Mutation.cancelOrder', admin, { id: '01JORDER' }, new ScriptedDataSource({ result: storedOrder() }));
    expect(outcome.errors).toMatchObject([{ errorType: 'NotFound' }]);
  });

  it('refuses once the order has shipped', async () => {
    const outcome = await run('Mutation.cancelOrder', alice, { id: '01JORDER' }, new ScriptedDataSource({ result: storedOrder({ status: 'SHIPPED' }) }));
    expect(outcome.errors).toMatchObject([
      { errorType: 'InvalidStateError', message: 'status: order 01JORDER is SHIPPED; only PENDING or RESERVED orders can be cancelled' },
    ]);
  });

  it('reports a status change that raced the cancel', async () => {
    const table = new ScriptedDataSource(
      { result: storedOrder() },
      { error: { message: 'Transaction cancelled', type: 'DynamoDB:TransactionCanceledException' }, result: { cancellationReasons: [{ type: 'ConditionalCheckFailed' }, { type: 'None' }] } },
    );
    const outcome = await run('Mutation.cancelOrder', alice, { id: '01JORDER' }, table);
    expect(outcome.errors).toMatchObject([
      { errorType: 'InvalidStateError', message: 'status: order 01JORDER changed while cancelling; only PENDING or RESERVED orders can be cancelled' },
    ]);
  });

  it('names a reason that is too long', async () => {
    const outcome = await run('Mutation.cancelOrder', alice, { id: '01JORDER', reason: 'x'.repeat(501) });
    expect(outcome.errors).toMatchObject([{ errorType: 'ValidationError', message: 'reason must be at most 500 characters' }]);
  });
});

describe('Mutation.publishOrderUpdate', () => {
  it('moves an order along its lifecycle for an IAM caller', async () => {
    const paid = storedOrder({ status: 'PAID' });
    const table = new ScriptedDataSource({ result: storedOrder({ status: 'RESERVED' }) }, { result: paid });
    const outcome = await run('Mutation.publishOrderUpdate', iamCaller, { input: { id: '01JORDER', status: 'PAID' } }, table);
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toEqual(paid);
    const update = table.requests[1] as UpdateRequest;
    expect(update.update.expression).toBe('SET #status = :status, #updatedAt = :now, #GSI2PK = :GSI2PK, #GSI3PK = :GSI3PK REMOVE #statusReason');
    expect(update.condition.expressionValues).toEqual({ ':owner': { S: 'alice-sub' }, ':from0': { S: 'RESERVED' }, ':from1': { S: 'PAID' } });
  });

  it('accepts the same status again, so a redelivered event is harmless', async () => {
    const paid = storedOrder({ status: 'PAID' });
    const outcome = await run('Mutation.publishOrderUpdate', iamCaller, { input: { id: '01JORDER', status: 'PAID' } }, new ScriptedDataSource({ result: paid }, { result: paid }));
    expect(outcome.errors).toEqual([]);
  });

  it('refuses a transition the lifecycle does not have', async () => {
    const table = new ScriptedDataSource({ result: storedOrder({ status: 'SHIPPED' }) });
    const outcome = await run('Mutation.publishOrderUpdate', iamCaller, { input: { id: '01JORDER', status: 'RESERVED' } }, table);
    expect(table.requests).toHaveLength(1);
    expect(outcome.errors).toMatchObject([{ errorType: 'InvalidStateError', message: 'input.status: order 01JORDER cannot move from SHIPPED to RESERVED' }]);
  });

  it('is closed to user pool tokens, even an admin one', async () => {
    for (const caller of [alice, admin]) {
      const table = new ScriptedDataSource();
      const outcome = await run('Mutation.publishOrderUpdate', caller, { input: { id: '01JORDER', status: 'PAID' } }, table);
      expect(outcome.unauthorized).toBe(true);
      expect(table.requests).toEqual([]);
    }
  });

  it('reports an unknown order', async () => {
    const outcome = await run('Mutation.publishOrderUpdate', iamCaller, { input: { id: 'missing', status: 'PAID' } }, new ScriptedDataSource({ result: null }));
    expect(outcome.errors).toMatchObject([{ errorType: 'NotFound', message: 'input.id: no order missing' }]);
  });
});
