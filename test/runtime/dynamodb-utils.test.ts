import { createDynamoDBUtils } from '../../runtime/appsync/util/dynamodb';

const dynamodb = createDynamoDBUtils();

describe('util.dynamodb', () => {
  it('converts the documented examples', () => {
    expect(dynamodb.toDynamoDB('foo')).toEqual({ S: 'foo' });
    expect(dynamodb.toDynamoDB({ foo: 'bar', baz: 1234, beep: ['boop'] })).toEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
    expect(dynamodb.toStringSet(['foo', 'bar', 'baz'])).toEqual({ SS: ['foo', 'bar', 'baz'] });
    expect(dynamodb.toNumber(12345)).toEqual({ N: 12345 });
    expect(dynamodb.toNumberSet([1, 23, 4.56])).toEqual({ NS: [1, 23, 4.56] });
    expect(dynamodb.toBinary('foo')).toEqual({ B: 'foo' });
    expect(dynamodb.toBinarySet(['foo', 'bar', 'baz'])).toEqual({ BS: ['foo', 'bar', 'baz'] });
    expect(dynamodb.toBoolean(true)).toEqual({ BOOL: true });
    expect(dynamodb.toNull()).toEqual({ NULL: null });
    expect(dynamodb.toList(['foo', 123, { bar: 'baz' }])).toEqual({ L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] });
    expect(dynamodb.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'] })).toEqual({ foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } });
  });

  it('answers null for a missing value', () => {
    expect(dynamodb.toString(null)).toBeNull();
    expect(dynamodb.toNumber(undefined)).toBeNull();
    expect(dynamodb.toDynamoDB(null)).toEqual({ NULL: null });
  });

  it('stores and reads S3 object references', () => {
    expect(dynamodb.toS3Object('foo', 'bar', 'baz')).toEqual({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' });
    const stored = dynamodb.toS3Object('foo', 'bar', 'baz', 'beep');

    expect(stored.S).toBe('{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}');
    expect(dynamodb.fromS3ObjectJson(stored.S as string)).toEqual({ key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' });
  });
});
