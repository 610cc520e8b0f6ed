// DynamoDB answers shaped as AppSync's DynamoDB data source hands them to the response handler:
// `ctx.result` for results, `ctx.error` (with `ctx.result` where AppSync sets both) for failures.
import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  TransactionCanceledException,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type BatchWriteItemCommandOutput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { DataSourceResponse } from '../../../runtime/appsync';
import { canonicalMap, fromAttributeMap, itemOrNull, RequestError } from './attribute-values';
import { encodeNextToken } from './next-token';

type Item = Record<string, AttributeValue>;

/** AppSync's error type for a DynamoDB exception, e.g. `DynamoDB:ConditionalCheckFailedException`. */
export function errorType(error: DynamoDBServiceException): string {
  return `DynamoDB:${error.name}`;
}

/**
 * The answer for a failed request. DynamoDB exceptions keep their message and become
 * `DynamoDB:<Exception>` errors; a request AppSync would reject is a `MappingTemplate` error. Anything
 * else (DynamoDB Local unreachable) is a sandbox failure and is thrown.
 */
export function errorResponse(error: unknown): DataSourceResponse {
  if (error instanceof RequestError) return { error: { message: error.message, type: 'MappingTemplate' } };
  if (error instanceof DynamoDBServiceException) return { error: { message: error.message, type: errorType(error) } };
  throw error;
}

/**
 * A failed condition of PutItem, UpdateItem or DeleteItem. AppSync reads the current item: when a
 * PutItem finds exactly the item it meant to write (ignoring `condition.equalsIgnore`), the write counts
 * as done; otherwise the error comes with the current item (or null) in `ctx.result`.
 */
export function conditionFailure(error: ConditionalCheckFailedException, intended?: { item: Item; equalsIgnore: readonly string[] }): DataSourceResponse {
  const current = error.Item;
  if (current && intended) {
    const names = [...new Set([...Object.keys(current), ...Object.keys(intended.item)])].filter((name) => !intended.equalsIgnore.includes(name));
    if (canonicalMap(current, names) === canonicalMap(intended.item, names)) return { result: fromAttributeMap(current) };
  }
  return { error: { message: error.message, type: errorType(error) }, result: itemOrNull(current) };
}

/** `[{ type, message, item? }]`, one per transaction item, `type` being DynamoDB's code (`None` for items that did not fail). */
export function cancellationReasons(error: TransactionCanceledException): Record<string, unknown>[] {
  return (error.CancellationReasons ?? []).map((reason) => ({
    type: reason.Code ?? 'None',
    message: reason.Message ?? null,
    ...(reason.Item ? { item: fromAttributeMap(reason.Item) } : {}),
  }));
}

/** A cancelled transaction: the error, and `cancellationReasons` beside a null `items`/`keys` in `ctx.result`. */
export function cancellation(error: TransactionCanceledException, field: 'items' | 'keys'): DataSourceResponse {
  return { error: { message: error.message, type: errorType(error) }, result: { [field]: null, cancellationReasons: cancellationReasons(error) } };
}

/** A Query or Scan page. */
export function pageResult(output: Pick<QueryCommandOutput, 'Items' | 'LastEvaluatedKey' | 'ScannedCount'>) {
  return {
    items: (output.Items ?? []).map(fromAttributeMap),
    nextToken: encodeNextToken(output.LastEvaluatedKey),
    scannedCount: output.ScannedCount ?? 0,
  };
}

/** BatchGetItem: per table, the item of each requested key in key order, null where none (or unprocessed). */
export function batchGetResult(keys: Readonly<Record<string, Item[]>>, added: Readonly<Record<string, string[]>>, output: BatchGetItemCommandOutput) {
  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  for (const [table, tableKeys] of Object.entries(keys)) {
    const found = output.Responses?.[table] ?? [];
    data[table] = tableKeys.map((key) => {
      const wanted = canonicalMap(key);
      const item = found.find((candidate) => canonicalMap(candidate, Object.keys(key)) === wanted);
      if (!item) return null;
      const plain = fromAttributeMap(item);
      for (const name of added[table] ?? []) delete plain[name];
      return plain;
    });
    unprocessedKeys[table] = (output.UnprocessedKeys?.[table]?.Keys ?? []).map(fromAttributeMap);
  }
  return { data, unprocessedKeys };
}

/** BatchPutItem / BatchDeleteItem: the items or keys written, null in place of unprocessed ones, which are listed apart. */
export function batchWriteResult(written: Readonly<Record<string, Item[]>>, output: BatchWriteItemCommandOutput, kind: 'items' | 'keys') {
  const data: Record<string, unknown[]> = {};
  const unprocessed: Record<string, unknown[]> = {};
  for (const [table, entries] of Object.entries(written)) {
    const left = (output.UnprocessedItems?.[table] ?? []).map((request) => (request.PutRequest?.Item ?? request.DeleteRequest?.Key) as Item);
    const leftKeys = new Set(left.map((entry) => canonicalMap(entry)));
    data[table] = entries.map((entry) => (leftKeys.has(canonicalMap(entry)) ? null : fromAttributeMap(entry)));
    unprocessed[table] = left.map(fromAttributeMap);
  }
  return kind === 'items' ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed };
}
