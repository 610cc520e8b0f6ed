// AppSync's DynamoDB type system in both directions. Requests carry typed values (`{ S: 'x' }`,
// `{ N: 12 }`, `{ L: [...] }`) where numbers may be JSON numbers; responses are plain JSON: numbers as
// numbers, sets as arrays, binary as base64 strings.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A request object AppSync would reject before calling DynamoDB. */
export class RequestError extends Error {
  override name = 'RequestError';
}

type Json = Record<string, unknown>;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return value;
  throw new RequestError(`${path} must be a number, got ${JSON.stringify(value)}`);
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new RequestError(`${path} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new RequestError(`${path} must be an array, got ${JSON.stringify(value)}`);
  return value;
}

const binary = (value: unknown, path: string) => new Uint8Array(Buffer.from(string(value, path), 'base64'));

/** One typed value of a request (`{ S: 'x' }`, `{ N: 1 }`...) as the SDK's AttributeValue. */
export function toAttributeValue(value: unknown, path: string): AttributeValue {
  if (!isMap(value) || Object.keys(value).length !== 1) {
    throw new RequestError(`${path} must be a typed value with exactly one of S, N, B, SS, NS, BS, BOOL, NULL, L, M; got ${JSON.stringify(value)}`);
  }
  const [type, inner] = Object.entries(value)[0] as [string, unknown];
  switch (type) {
    case 'S':
      return { S: string(inner, `${path}.S`) };
    case 'N':
      return { N: number(inner, `${path}.N`) };
    case 'B':
      return { B: binary(inner, `${path}.B`) };
    case 'SS':
      return { SS: list(inner, `${path}.SS`).map((item, index) => string(item, `${path}.SS[${index}]`)) };
    case 'NS':
      return { NS: list(inner, `${path}.NS`).map((item, index) => number(item, `${path}.NS[${index}]`)) };
    case 'BS':
      return { BS: list(inner, `${path}.BS`).map((item, index) => binary(item, `${path}.BS[${index}]`)) };
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new RequestError(`${path}.BOOL must be a boolean, got ${JSON.stringify(inner)}`);
      return { BOOL: inner };
    case 'NULL':
      if (inner !== null && inner !== true) throw new RequestError(`${path}.NULL must be null or true, got ${JSON.stringify(inner)}`);
      return { NULL: true };
    case 'L':
      return { L: list(inner, `${path}.L`).map((item, index) => toAttributeValue(item, `${path}.L[${index}]`)) };
    case 'M':
      return { M: toAttributeMap(inner, `${path}.M`) };
    default:
      throw new RequestError(`${path} has unknown DynamoDB type ${type}`);
  }
}

/** A map of typed values (a key, attributeValues, expressionValues) as SDK AttributeValues. */
export function toAttributeMap(value: unknown, path: string): Record<string, AttributeValue> {
  if (!isMap(value)) throw new RequestError(`${path} must be an object of typed values, got ${JSON.stringify(value)}`);
  const out: Record<string, AttributeValue> = {};
  for (const [name, item] of Object.entries(value)) {
    if (item !== undefined) out[name] = toAttributeValue(item, `${path}.${name}`);
  }
  return out;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** An SDK AttributeValue as AppSync hands it to the response handler. */
export function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return base64(value.B);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.BS !== undefined) return value.BS.map(base64);
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.M !== undefined) return fromAttributeMap(value.M);
  throw new Error(`DynamoDB returned an attribute value of an unknown type: ${Object.keys(value).join(', ')}`);
}

/** An item as plain JSON. */
export function fromAttributeMap(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, fromAttributeValue(value)]));
}

/** An item as plain JSON, or null when DynamoDB returned none. */
export function itemOrNull(item: Record<string, AttributeValue> | undefined): Record<string, unknown> | null {
  return item ? fromAttributeMap(item) : null;
}

/** The typed JSON form of an AttributeValue (numbers as strings, binary as base64), the inverse of `toAttributeValue`. */
export function toTypedJson(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toTypedJson) };
  if (value.M !== undefined) return { M: Object.fromEntries(Object.entries(value.M).map(([name, item]) => [name, toTypedJson(item)])) };
  if (value.NULL !== undefined) return { NULL: true };
  return value;
}

/** A canonical string of an AttributeValue: equal strings mean equal values (set order and number spelling ignored). */
export function canonical(value: AttributeValue): string {
  if (value.N !== undefined) return `N:${Number(value.N)}`;
  if (value.NS !== undefined) return `NS:${JSON.stringify(value.NS.map(Number).sort((a, b) => a - b))}`;
  if (value.SS !== undefined) return `SS:${JSON.stringify([...value.SS].sort())}`;
  if (value.BS !== undefined) return `BS:${JSON.stringify(value.BS.map(base64).sort())}`;
  if (value.L !== undefined) return `L:[${value.L.map(canonical).join(',')}]`;
  if (value.M !== undefined) return `M:${canonicalMap(value.M)}`;
  return JSON.stringify(toTypedJson(value));
}

/** A canonical string of an item or key, optionally of some attributes only. */
export function canonicalMap(item: Record<string, AttributeValue>, names: readonly string[] = Object.keys(item)): string {
  return `{${[...names]
    .sort()
    .map((name) => `${JSON.stringify(name)}:${item[name] ? canonical(item[name]) : '-'}`)
    .join(',')}}`;
}
