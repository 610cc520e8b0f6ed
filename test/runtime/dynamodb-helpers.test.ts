import * as ddb from '../../runtime/appsync/dynamodb-helpers';

describe('@aws-appsync/utils/dynamodb', () => {
  it('builds GetItem, PutItem and DeleteItem requests', () => {
    expect(ddb.get({ key: { id: 'id' } })).toEqual({ operation: 'GetItem', key: { id: { S: 'id' } } });
    expect(ddb.put({ key: { id: 'abc' }, item: { value: 10 } })).toEqual({
      operation: 'PutItem',
      key: { id: { S: 'abc' } },
      attributeValues: { value: { N: 10 } },
    });
    expect(ddb.remove({ key: { id: 'test' } })).toEqual({ operation: 'DeleteItem', key: { id: { S: 'test' } } });
  });

  it('renders a write condition with util.transform', () => {
    const request = ddb.put({ key: { id: '1' }, item: { owner: 'ann' }, condition: { owner: { eq: 'ann' } }, _version: 2 });

    expect(request).toMatchObject({
      condition: { expression: '(#owner = :owner_eq)', expressionNames: { '#owner': 'owner' }, expressionValues: { ':owner_eq': { S: 'ann' } } },
      _version: 2,
    });
  });

  it('renders update operations as AppSync does', () => {
    expect(ddb.update({ key: { id: 'test' }, update: { age: ddb.operations.increment(10) } }).update).toEqual({
      expression: 'SET #expName_1 = #expName_1 + :expValue_1',
      expressionNames: { '#expName_1': 'age' },
      expressionValues: { ':expValue_1': { N: 10 } },
    });
    expect(ddb.update({ key: { id: 'test' }, update: { values: ddb.operations.prepend([1, 2, 3]) } }).update.expression).toBe(
      'SET #expName_1 = list_append(:expValue_1, #expName_1)',
    );
    expect(ddb.update({ key: { id: 'test' }, update: { values: ddb.operations.append([1]) } }).update.expression).toBe(
      'SET #expName_1 = list_append(#expName_1, :expValue_1)',
    );
    expect(ddb.update({ key: { id: 'test' }, update: { age: ddb.operations.decrement() } }).update).toEqual({
      expression: 'SET #expName_1 = #expName_1 - :expValue_1',
      expressionNames: { '#expName_1': 'age' },
      expressionValues: { ':expValue_1': { N: 1 } },
    });
  });

  it('sets plain values, nulls included, in one SET clause and removes in a REMOVE clause', () => {
    const request = ddb.update({
      key: { id: 'u-1' },
      update: { name: 'Toni', bio: null, address: ddb.operations.replace({ city: 'Oslo' }), nickname: ddb.operations.remove() },
      condition: { id: { attributeExists: true } },
    });

    expect(request).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'u-1' } },
      update: {
        expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3 REMOVE #expName_4',
        expressionNames: { '#expName_1': 'name', '#expName_2': 'bio', '#expName_3': 'address', '#expName_4': 'nickname' },
        expressionValues: { ':expValue_1': { S: 'Toni' }, ':expValue_2': { NULL: null }, ':expValue_3': { M: { city: { S: 'Oslo' } } } },
      },
      condition: { expression: '(attribute_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} },
    });
  });

  it('updates list items and nested attributes by path', () => {
    const request = ddb.update({
      key: { id: 1 },
      update: { friendsIds: [ddb.operations.updateListItem('102', 1)], address: { city: 'Bergen' } },
    });

    expect(request.update).toEqual({
      expression: 'SET #expName_1[1] = :expValue_1, #expName_2.#expName_3 = :expValue_3',
      expressionNames: { '#expName_1': 'friendsIds', '#expName_2': 'address', '#expName_3': 'city' },
      expressionValues: { ':expValue_1': { S: '102' }, ':expValue_3': { S: 'Bergen' } },
    });
  });

  it('returns operations as the objects AppSync uses', () => {
    expect(ddb.operations.add(10)).toEqual({ type: 'OPERATION_ADD', value: 10 });
    expect(ddb.operations.append([1, 2, 3])).toEqual({ type: 'OPERATION_APPEND', items: [1, 2, 3] });
    expect(ddb.operations.increment(10)).toEqual({ type: 'OPERATION_INCREMENT', by: 10 });
  });

  it('builds a Query with key condition, filter, projection and options', () => {
    const request = ddb.query({
      query: { pk: { eq: 'ORDER' }, sk: { beginsWith: '2024-' } },
      filter: { status: { eq: 'OPEN' } },
      projection: ['id', 'lines[0].sku'],
      index: 'byDate',
      limit: 10,
      nextToken: null,
      scanIndexForward: false,
    });

    expect(request).toEqual({
      operation: 'Query',
      query: {
        expression: '#pk = :pk_eq AND begins_with(#sk, :sk_beginsWith)',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': { S: 'ORDER' }, ':sk_beginsWith': { S: '2024-' } },
      },
      index: 'byDate',
      limit: 10,
      scanIndexForward: false,
      filter: { expression: '(#status = :status_eq)', expressionNames: { '#status': 'status' }, expressionValues: { ':status_eq': { S: 'OPEN' } } },
      projection: { expression: '#id, #lines[0].#sku', expressionNames: { '#id': 'id', '#lines': 'lines', '#sku': 'sku' } },
    });
  });

  it('builds Scan and Sync requests with only the options given', () => {
    expect(ddb.scan({ limit: 10, nextToken: 'abc' })).toEqual({ operation: 'Scan', limit: 10, nextToken: 'abc' });
    expect(ddb.sync({ limit: 10, lastSync: 1700000000000 })).toEqual({ operation: 'Sync', limit: 10, lastSync: 1700000000000 });
  });

  it('rejects a key condition operator DynamoDB does not have', () => {
    expect(() => ddb.query({ query: { pk: { contains: 'x' } } })).toThrow("'contains' is not a key condition operator");
  });

  it('builds batch and transaction requests', () => {
    expect(ddb.batchGet({ tables: { post: { keys: [{ id: '1' }], consistentRead: false } } })).toEqual({
      operation: 'BatchGetItem',
      tables: { post: { keys: [{ id: { S: '1' } }], consistentRead: false } },
    });
    expect(ddb.batchPut({ tables: { post: [{ id: 'one', value: 'x' }] } })).toEqual({
      operation: 'BatchPutItem',
      tables: { post: [{ id: { S: 'one' }, value: { S: 'x' } }] },
    });
    expect(ddb.batchDelete({ tables: { post: [{ id: 'one' }] } })).toEqual({ operation: 'BatchDeleteItem', tables: { post: [{ id: { S: 'one' } }] } });
    expect(
      ddb.transactWrite({
        items: [
          { putItem: { table: 'post', key: { id: '1' }, item: { title: 't' } } },
          { conditionCheck: { table: 'post', key: { id: '2' }, condition: { id: { attributeExists: true } } } },
        ],
      }).transactItems,
    ).toEqual([
      { table: 'post', operation: 'PutItem', key: { id: { S: '1' } }, attributeValues: { title: { S: 't' } } },
      { table: 'post', operation: 'ConditionCheck', key: { id: { S: '2' } }, condition: { expression: '(attribute_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} } },
    ]);
  });

  it('documents module-level number sets as strings', () => {
    expect(ddb.toNumberSet([1, 2, 3])).toEqual({ NS: ['1', '2', '3'] });
    expect(ddb.toStringSet(['a'])).toEqual({ SS: ['a'] });
  });
});
