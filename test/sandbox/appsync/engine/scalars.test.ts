import { buildSchema, GraphQLScalarType, parseValue } from 'graphql';
import { APPSYNC_PRELUDE } from '../../../../stacks/lib/appsync-schema';
import { installAppSyncScalars } from '../../../../sandbox/services/appsync/engine';

const schema = buildSchema(`${APPSYNC_PRELUDE} type Query { ok: Boolean }`);
installAppSyncScalars(schema);
const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;
const accepts = (name: string, value: unknown) => {
  try {
    scalar(name).parseValue(value);
    return true;
  } catch {
    return false;
  }
};

// Valid and invalid examples from AppSync's scalar reference (https://docs.aws.amazon.com/appsync/latest/devguide/scalars.html).
const CASES: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  AWSDate: {
    valid: ['1970-01-01', '1970-01-01Z', '1970-01-01-07:00', '1970-01-01+05:30', '1970-01-01+05:30:15', '-2017-01-01', '2024-02-29'],
    invalid: ['1970-1-1', '2023-02-29', '1970-13-01', '1970-01-01T00:00Z', '19700101', 20240101],
  },
  AWSTime: {
    valid: ['12:30', '12:30:24', '12:30:24.5', '12:30:24.123456789', '12:30:24Z', '12:30:24.500+05:30', '23:59:59-07:00:00'],
    invalid: ['24:00', '12:60', '12:30:24.1234567891', '1230', '12:30:24+5'],
  },
  AWSDateTime: {
    valid: ['1970-01-01T12:00:00.2Z', '1970-01-01T12:00:00.277Z', '1970-01-01T12:00:00.123456789Z', '2020-01-01T00:00+00:00', '-2017-01-01T00:00Z', '1930-01-01T16:00:00-07:00:00'],
    invalid: ['1970-01-01T12:00:00', '1970-01-01', '1970-01-01 12:00:00Z', '1970-01-01T12:00:00.1234567891Z', '2021-02-30T00:00Z'],
  },
  AWSTimestamp: { valid: [0, 1618932930, -31557014167], invalid: ['1618932930', 1.5, null] },
  AWSEmail: { valid: ['example@example.com', 'a@b', 'first.last+tag@sub.example.co.uk'], invalid: ['example.com', 'a b@example.com', '@example.com', 'a@'] },
  AWSJSON: { valid: ['{"a":1}', '[1,2]', '"text"', '1', 'null'], invalid: ['{a:1}', 'unquoted', { a: 1 }] },
  AWSURL: {
    valid: ['https://www.amazon.com/dp/B000NZW3KC/', 'mailto:example@example.com', 'http://localhost:4080/graphql?x=1'],
    invalid: ['www.amazon.com', 'https://example.com/a//b', 'not a url'],
  },
  AWSPhone: {
    valid: ['+1 555 123 4567', '+44 20 7946 0958', '555-123-4567', '1-555-123-4567', '(555) 123-4567'.replace(/[()]/g, '')],
    invalid: ['1110004444', '123', '+0 555 1234', 'phone', '555--123-4567'],
  },
  AWSIPAddress: {
    valid: ['123.12.34.56', '1a2b:3c4b::1234:4567', '123.45.67.89/16', '::1', '2001:db8::/32'],
    invalid: ['256.1.1.1', '1.2.3.4/33', '[::1]', '1.2.3', 'localhost'],
  },
};

describe('AppSync scalars', () => {
  it.each(Object.entries(CASES))('%s accepts what AppSync accepts and refuses the rest', (name, { valid, invalid }) => {
    expect(valid.filter((value) => !accepts(name, value))).toEqual([]);
    expect(invalid.filter((value) => accepts(name, value))).toEqual([]);
  });

  it('parses AWSJSON for resolvers and serializes objects back to JSON strings', () => {
    expect(scalar('AWSJSON').parseValue('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(scalar('AWSJSON').parseLiteral(parseValue('"{\\"a\\":1}"'), undefined)).toEqual({ a: 1 });
    expect(scalar('AWSJSON').serialize({ a: 1 })).toBe('{"a":1}');
    expect(scalar('AWSJSON').serialize('{"kept":true}')).toBe('{"kept":true}');
  });

  it('takes literals of the right kind only', () => {
    expect(scalar('AWSTimestamp').parseLiteral(parseValue('1618932930'), undefined)).toBe(1618932930);
    expect(() => scalar('AWSTimestamp').parseLiteral(parseValue('"1618932930"'), undefined)).toThrow();
    expect(() => scalar('AWSDate').parseLiteral(parseValue('19700101'), undefined)).toThrow();
  });

  it("words refusals as AppSync's graphql-java scalars do", () => {
    expect(() => scalar('AWSDateTime').parseValue('soon')).toThrow('Unable to parse `soon` as a valid DateTime Object.');
    expect(() => scalar('AWSPhone').parseValue('1110004444')).toThrow('Unable to parse `1110004444` as a valid phone number.');
    expect(() => scalar('AWSDateTime').serialize('2020-05-23T06:4:37.000Z')).toThrow('Unable to serialize `2020-05-23T06:4:37.000Z` as a valid DateTime Object.');
  });
});
