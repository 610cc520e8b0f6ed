import { PlatformModel } from '../../../sandbox/model/platform-model';
import { fromAttributeValue, toAttributeValue } from '../../../sandbox/services/dynamodb/attribute-values';
import { tableAttributes } from '../../../sandbox/services/dynamodb/attributes';
import { dataSourceTable, schemaDifferences, tableSpec, translateRequest } from '../../../sandbox/services/dynamodb';
import { decodeNextToken, encodeNextToken } from '../../../sandbox/services/dynamodb/next-token';
import { tempDir, writePlatform } from './fixture';

// Pure parts of the DynamoDB service: no DynamoDB Local needed.

describe('the request type system', () => {
  it('turns typed values into SDK attribute values, numbers as strings and binary as bytes', () => {
    expect(toAttributeValue({ M: { n: { N: 1.5 }, s: { NS: [1, '2'] }, b: { B: 'AQI=' }, z: { NULL: null }, l: { L: [{ BOOL: true }] } } }, 'v')).toEqual({
      M: { n: { N: '1.5' }, s: { NS: ['1', '2'] }, b: { B: new Uint8Array([1, 2]) }, z: { NULL: true }, l: { L: [{ BOOL: true }] } },
    });
  });

  it('answers plain JSON: numbers as numbers, sets as arrays, binary as base64', () => {
    expect(fromAttributeValue({ M: { n: { N: '12.50' }, ns: { NS: ['1', '2'] }, ss: { SS: ['a'] }, b: { B: new Uint8Array([1, 2]) }, z: { NULL: true } } })).toEqual({
      n: 12.5,
      ns: [1, 2],
      ss: ['a'],
      b: 'AQI=',
      z: null,
    });
  });

  it('names the path of a value it cannot read', () => {
    expect(() => toAttributeValue({ M: { price: { N: 'cheap' } } }, 'request.attributeValues.item')).toThrow('request.attributeValues.item.M.price.N must be a number, got "cheap"');
    expect(() => toAttributeValue({ S: 'a', N: 1 }, 'request.key.id')).toThrow(/^request\.key\.id must be a typed value with exactly one of/);
  });

  it('round-trips a pagination token, numeric and binary keys included', () => {
    const key = { PK: { S: 'A' }, n: { N: '3' }, b: { B: new Uint8Array([7]) } };

    expect(decodeNextToken(encodeNextToken(key), 'nextToken')).toEqual(key);
    expect(encodeNextToken(undefined)).toBeNull();
  });
});

describe('translateRequest', () => {
  it('merges the placeholders of the update and the condition into one map each', () => {
    const translated = translateRequest(
      {
        operation: 'UpdateItem',
        key: { PK: { S: 'ORDER#1' }, SK: { S: 'ORDER' } },
        update: { expression: 'SET #status = :status', expressionNames: { '#status': 'status' }, expressionValues: { ':status': { S: 'CANCELLED' } } },
        condition: { expression: '#status IN (:from0)', expressionNames: { '#status': 'status' }, expressionValues: { ':from0': { S: 'PENDING' } } },
      },
      'orders',
    );

    expect(translated.input).toEqual({
      TableName: 'orders',
      Key: { PK: { S: 'ORDER#1' }, SK: { S: 'ORDER' } },
      UpdateExpression: 'SET #status = :status',
      ConditionExpression: '#status IN (:from0)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': { S: 'CANCELLED' }, ':from0': { S: 'PENDING' } },
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('refuses one placeholder meaning two attributes', () => {
    expect(() =>
      translateRequest(
        {
          operation: 'UpdateItem',
          key: { id: { S: '1' } },
          update: { expression: 'SET #a = :v', expressionNames: { '#a': 'a' }, expressionValues: { ':v': { S: 'x' } } },
          condition: { expression: '#a = :v', expressionNames: { '#a': 'b' } },
        },
        't',
      ),
    ).toThrow("request.condition.expressionNames.#a is 'b' but another expression of the request uses it for 'a'");
  });

  it('asks BatchGetItem for the key attributes a projection leaves out, so items can be matched to keys', () => {
    const translated = translateRequest(
      { operation: 'BatchGetItem', tables: { orders: { keys: [{ PK: { S: 'A' }, SK: { S: 'B' } }], projection: { expression: '#price, PK', expressionNames: { '#price': 'price' } } } } },
      'unused',
    );

    expect(translated).toMatchObject({
      input: { RequestItems: { orders: { ProjectionExpression: '#price, PK, #sandboxKey0', ExpressionAttributeNames: { '#price': 'price', '#sandboxKey0': 'SK' } } } },
      added: { orders: ['SK'] },
    });
  });

  it('returns the item that failed a transaction condition unless the request opts out, and needs a condition for ConditionCheck', () => {
    const condition = { expression: 'attribute_not_exists(PK)' };
    const translated = translateRequest(
      {
        operation: 'TransactWriteItems',
        transactItems: [
          { table: 't', operation: 'PutItem', key: { PK: { S: '1' } }, attributeValues: { a: { N: 1 } }, condition },
          { table: 't', operation: 'DeleteItem', key: { PK: { S: '2' } }, condition: { ...condition, returnValuesOnConditionCheckFailure: false } },
        ],
      },
      'unused',
    );

    expect(translated.input).toEqual({
      TransactItems: [
        { Put: { TableName: 't', Item: { a: { N: '1' }, PK: { S: '1' } }, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { Delete: { TableName: 't', Key: { PK: { S: '2' } }, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'NONE' } },
      ],
    });
    expect(() => translateRequest({ operation: 'TransactWriteItems', transactItems: [{ table: 't', operation: 'ConditionCheck', key: { PK: { S: '1' } } }] }, 'unused')).toThrow(
      'request.transactItems[0].condition is required for a ConditionCheck',
    );
  });

  it('reads the table of an AMAZON_DYNAMODB data source, and says which one has none', () => {
    expect(dataSourceTable({ name: 'orders', type: 'AMAZON_DYNAMODB', config: { dynamodb_config: { table_name: 'orders-local' } } })).toBe('orders-local');
    expect(() => dataSourceTable({ name: 'orders', type: 'AMAZON_DYNAMODB', config: {} })).toThrow('AppSync data source orders (AMAZON_DYNAMODB) has no dynamodb_config.table_name');
  });
});

describe('tables from the synthesized platform', () => {
  const dir = tempDir('ddb-translation-');
  const model = new PlatformModel(writePlatform(dir.path, { name: 'orders-unit', indexes: [{ name: 'GSI1', hashKey: 'GSI1PK', projection: 'KEYS_ONLY' }] }));
  const table = model.find('data', 'aws_dynamodb_table', 'orders');
  afterAll(() => dir.cleanup());

  it('reads keys, indexes, stream and TTL from the aws_dynamodb_table configuration', () => {
    expect(tableSpec(model.config(table))).toEqual({
      name: 'orders-unit',
      keySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      attributes: ['PK', 'SK', 'GSI1PK'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      globalIndexes: [{ name: 'GSI1', keySchema: [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }], projection: { ProjectionType: 'KEYS_ONLY' } }],
      localIndexes: [],
      stream: 'NEW_AND_OLD_IMAGES',
      ttlAttribute: 'expiresAt',
    });
  });

  it('names every difference between a persisted table and the synthesized one', () => {
    const spec = tableSpec(model.config(table));

    expect(
      schemaDifferences(spec, {
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'N' }],
        GlobalSecondaryIndexes: [{ IndexName: 'OLD', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] }],
      }),
    ).toEqual(['key schema is PK(HASH), not PK(HASH) SK(RANGE)', 'attribute PK has type N, not S', 'global index GSI1 is missing', 'global index OLD is not in the platform']);
  });

  it('computes arn, id and a stream ARN of AWS shape before DynamoDB Local runs', () => {
    const attributes = tableAttributes(new Map());
    const arn = 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders-unit';

    expect(['arn', 'id', 'stream_arn', 'stream_label'].map((name) => attributes(table, name, model))).toEqual([
      arn,
      'orders-unit',
      `${arn}/stream/1970-01-01T00:00:00.000`,
      '1970-01-01T00:00:00.000',
    ]);
    expect(tableAttributes(new Map([['orders-unit', 'arn:local']]))(table, 'stream_arn', model)).toBe('arn:local');
    expect(tableAttributes(new Map())({ ...table, raw: { ...table.raw, stream_enabled: false } }, 'stream_arn', model)).toBe('');
  });
});
