import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { RequestError, toAttributeMap, toTypedJson } from './attribute-values';

// AppSync's tokens are opaque (encrypted); here they are base64url JSON of the LastEvaluatedKey, which
// round-trips and is just as opaque to resolvers that treat it as a string.
const VERSION = 'ddb1';

/** The pagination token of a Query or Scan page, or null on the last page. */
export function encodeNextToken(lastEvaluatedKey: Record<string, AttributeValue> | undefined): string | null {
  if (!lastEvaluatedKey) return null;
  const typed = Object.fromEntries(Object.entries(lastEvaluatedKey).map(([name, value]) => [name, toTypedJson(value)]));
  return `${VERSION}.${Buffer.from(JSON.stringify(typed), 'utf8').toString('base64url')}`;
}

/** The ExclusiveStartKey a token stands for; a token this data source never issued is a request error. */
export function decodeNextToken(token: unknown, path: string): Record<string, AttributeValue> | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  const [version, body] = typeof token === 'string' ? token.split('.', 2) : [];
  let typed: unknown;
  try {
    typed = version === VERSION && body ? JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) : undefined;
  } catch {
    typed = undefined;
  }
  if (typed === undefined) throw new RequestError(`${path} is not a pagination token this data source issued`);
  return toAttributeMap(typed, path);
}
