// AppSync DynamoDB request objects (JavaScript resolver reference for DynamoDB) translated to AWS SDK
// inputs. Pure: nothing here talks to DynamoDB. Fields AppSync documents but the sandbox cannot honour
// (`_version` conflict detection, `conditionalCheckFailedHandler` Lambdas, `populateIndexFields`) are ignored.
import type {
  AttributeValue,
  BatchGetItemCommandInput,
  BatchWriteItemCommandInput,
  DeleteItemCommandInput,
  GetItemCommandInput,
  PutItemCommandInput,
  QueryCommandInput,
  ScanCommandInput,
  Select,
  TransactGetItemsCommandInput,
  TransactWriteItem,
  TransactWriteItemsCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { canonical, RequestError, toAttributeMap } from './attribute-values';
import { decodeNextToken } from './next-token';

type Json = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

/** One AppSync request, ready to send. */
export type Translated =
  | { readonly operation: 'GetItem'; readonly input: GetItemCommandInput }
  | { readonly operation: 'PutItem'; readonly input: PutItemCommandInput & { Item: Item }; readonly equalsIgnore: readonly string[] }
  | { readonly operation: 'UpdateItem'; readonly input: UpdateItemCommandInput }
  | { readonly operation: 'DeleteItem'; readonly input: DeleteItemCommandInput }
  | { readonly operation: 'Query'; readonly input: QueryCommandInput }
  | { readonly operation: 'Scan'; readonly input: ScanCommandInput }
  | { readonly operation: 'BatchGetItem'; readonly input: BatchGetItemCommandInput; readonly keys: Readonly<Record<string, Item[]>>; readonly added: Readonly<Record<string, string[]>> }
  | { readonly operation: 'BatchPutItem'; readonly input: BatchWriteItemCommandInput; readonly items: Readonly<Record<string, Item[]>> }
  | { readonly operation: 'BatchDeleteItem'; readonly input: BatchWriteItemCommandInput; readonly keys: Readonly<Record<string, Item[]>> }
  | { readonly operation: 'TransactGetItems'; readonly input: TransactGetItemsCommandInput }
  | { readonly operation: 'TransactWriteItems'; readonly input: TransactWriteItemsCommandInput; readonly keys: readonly Item[] };

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Json {
  if (!isMap(value)) throw new RequestError(`${path} must be an object, got ${JSON.stringify(value)}`);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new RequestError(`${path} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function optional<T>(value: unknown, read: (value: unknown) => T): T | undefined {
  return value === undefined || value === null ? undefined : read(value);
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new RequestError(`${path} must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}

function count(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new RequestError(`${path} must be an integer of at least ${min}, got ${JSON.stringify(value)}`);
  return value;
}

function items(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new RequestError(`${path} must be a non-empty array`);
  return value;
}

/**
 * The placeholders of every expression of one request. DynamoDB takes a single names map and a single
 * values map per request, so the `expressionNames`/`expressionValues` of key condition, filter,
 * projection, update and condition are merged; one placeholder meaning two things is an error.
 */
class Placeholders {
  private readonly names: Record<string, string> = {};
  private readonly values: Item = {};

  /** Adds an `{ expression, expressionNames, expressionValues }` object and returns its expression. */
  add(value: unknown, path: string): string {
    const expression = object(value, path);
    const rendered = text(expression.expression, `${path}.expression`);
    for (const [placeholder, name] of Object.entries(object(expression.expressionNames ?? {}, `${path}.expressionNames`))) {
      const attribute = text(name, `${path}.expressionNames.${placeholder}`);
      if (placeholder in this.names && this.names[placeholder] !== attribute) {
        throw new RequestError(`${path}.expressionNames.${placeholder} is '${attribute}' but another expression of the request uses it for '${this.names[placeholder]}'`);
      }
      this.names[placeholder] = attribute;
    }
    const values = toAttributeMap(expression.expressionValues ?? {}, `${path}.expressionValues`);
    for (const [placeholder, typed] of Object.entries(values)) {
      if (placeholder in this.values && canonical(this.values[placeholder] as AttributeValue) !== canonical(typed)) {
        throw new RequestError(`${path}.expressionValues.${placeholder} differs from the value another expression of the request gives it`);
      }
      this.values[placeholder] = typed;
    }
    return rendered;
  }

  /** The merged maps, left out when empty (DynamoDB rejects empty maps). */
  input(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item } {
    return {
      ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

function condition(request: Json, path: string, placeholders: Placeholders) {
  const expression = optional(request.condition, (value) => placeholders.add(value, `${path}.condition`));
  return expression ? { ConditionExpression: expression } : {};
}

function projection(request: Json, path: string, placeholders: Placeholders) {
  const expression = optional(request.projection, (value) => placeholders.add(value, `${path}.projection`));
  return expression ? { ProjectionExpression: expression } : {};
}

function key(request: Json, path: string): Item {
  const parsed = toAttributeMap(request.key, `${path}.key`);
  if (Object.keys(parsed).length === 0) throw new RequestError(`${path}.key must name the item's key attributes`);
  return parsed;
}

function getItem(request: Json, table: string): Translated {
  const placeholders = new Placeholders();
  const input: GetItemCommandInput = {
    TableName: table,
    Key: key(request, 'request'),
    ...optional(request.consistentRead, (value) => ({ ConsistentRead: bool(value, 'request.consistentRead') })),
    ...projection(request, 'request', placeholders),
  };
  return { operation: 'GetItem', input: { ...input, ...placeholders.input() } };
}

function putItem(request: Json, table: string): Translated {
  const placeholders = new Placeholders();
  const itemKey = key(request, 'request');
  const attributes = optional(request.attributeValues, (value) => toAttributeMap(value, 'request.attributeValues')) ?? {};
  const equalsIgnore = isMap(request.condition) && Array.isArray(request.condition.equalsIgnore) ? request.condition.equalsIgnore.map(String) : [];
  const input = {
    TableName: table,
    Item: { ...attributes, ...itemKey },
    ...condition(request, 'request', placeholders),
    ...placeholders.input(),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  return { operation: 'PutItem', input, equalsIgnore };
}

function updateItem(request: Json, table: string): Translated {
  const placeholders = new Placeholders();
  const input: UpdateItemCommandInput = {
    TableName: table,
    Key: key(request, 'request'),
    UpdateExpression: placeholders.add(request.update, 'request.update'),
    ...condition(request, 'request', placeholders),
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return { operation: 'UpdateItem', input: { ...input, ...placeholders.input() } };
}

function deleteItem(request: Json, table: string): Translated {
  const placeholders = new Placeholders();
  const input: DeleteItemCommandInput = {
    TableName: table,
    Key: key(request, 'request'),
    ...condition(request, 'request', placeholders),
    ReturnValues: 'ALL_OLD',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return { operation: 'DeleteItem', input: { ...input, ...placeholders.input() } };
}

/** Options Query and Scan share. */
function readOptions(request: Json, placeholders: Placeholders) {
  return {
    ...optional(request.index, (value) => ({ IndexName: text(value, 'request.index') })),
    ...optional(request.limit, (value) => ({ Limit: count(value, 'request.limit', 1) })),
    ...optional(request.consistentRead, (value) => ({ ConsistentRead: bool(value, 'request.consistentRead') })),
    ...optional(request.select, (value) => ({ Select: text(value, 'request.select') as Select })),
    ...optional(decodeNextToken(request.nextToken, 'request.nextToken'), (value) => ({ ExclusiveStartKey: value as Item })),
    ...optional(request.filter, (value) => ({ FilterExpression: placeholders.add(value, 'request.filter') })),
    ...projection(request, 'request', placeholders),
  };
}

function query(request: Json, table: string): Translated {
  const placeholders = new Placeholders();
  const input: QueryCommandInput = {
    TableName: table,
    KeyConditionExpression: placeholders.add(request.query, 'request.query'),
    ...readOptions(request, placeholders),
    ...optional(request.scanIndexForward, (value) => ({ ScanIndexForward: bool(value, 'request.scanIndexForward') })),
  };
  return { operation: 'Query', input: { ...input, ...placeholders.input() } };
}

function scan(request: Json, table: string): Translated {
  const placeholders = new Placeholders();
  const segment = optional(request.segment, (value) => ({ Segment: count(value, 'request.segment', 0) }));
  const total = optional(request.totalSegments, (value) => ({ TotalSegments: count(value, 'request.totalSegments', 1) }));
  const input: ScanCommandInput = { TableName: table, ...readOptions(request, placeholders), ...segment, ...total };
  return { operation: 'Scan', input: { ...input, ...placeholders.input() } };
}

/** The top-level attribute names a projection expression returns. */
function projectedNames(expression: string, names: Record<string, string>): Set<string> {
  return new Set(
    expression
      .split(',')
      .map((path) => path.trim().split(/[.[]/)[0] as string)
      .map((head) => names[head] ?? head),
  );
}

function tables(request: Json): [string, unknown][] {
  const entries = Object.entries(object(request.tables, 'request.tables'));
  if (entries.length === 0) throw new RequestError('request.tables must name at least one table');
  return entries;
}

function batchGetItem(request: Json): Translated {
  const requestItems: NonNullable<BatchGetItemCommandInput['RequestItems']> = {};
  const keys: Record<string, Item[]> = {};
  const added: Record<string, string[]> = {};
  for (const [table, value] of tables(request)) {
    const path = `request.tables.${table}`;
    const spec = object(value, path);
    const tableKeys = items(spec.keys, `${path}.keys`).map((entry, index) => toAttributeMap(entry, `${path}.keys[${index}]`));
    const placeholders = new Placeholders();
    let projectionExpression = optional(spec.projection, (projected) => placeholders.add(projected, `${path}.projection`));
    const merged = placeholders.input();
    added[table] = [];
    if (projectionExpression) {
      // Items are matched to their keys, so the key attributes must come back even when not projected.
      const projected = projectedNames(projectionExpression, merged.ExpressionAttributeNames ?? {});
      const keyNames = [...new Set(tableKeys.flatMap((entry) => Object.keys(entry)))].filter((name) => !projected.has(name));
      keyNames.forEach((name, index) => {
        merged.ExpressionAttributeNames = { ...merged.ExpressionAttributeNames, [`#sandboxKey${index}`]: name };
        projectionExpression = `${projectionExpression}, #sandboxKey${index}`;
      });
      added[table] = keyNames;
    }
    keys[table] = tableKeys;
    requestItems[table] = {
      Keys: tableKeys,
      ...optional(spec.consistentRead, (consistent) => ({ ConsistentRead: bool(consistent, `${path}.consistentRead`) })),
      ...(projectionExpression ? { ProjectionExpression: projectionExpression, ExpressionAttributeNames: merged.ExpressionAttributeNames } : {}),
    };
  }
  return { operation: 'BatchGetItem', input: { RequestItems: requestItems }, keys, added };
}

function batchPutItem(request: Json): Translated {
  const requestItems: NonNullable<BatchWriteItemCommandInput['RequestItems']> = {};
  const written: Record<string, Item[]> = {};
  for (const [table, value] of tables(request)) {
    const path = `request.tables.${table}`;
    written[table] = items(value, path).map((entry, index) => toAttributeMap(entry, `${path}[${index}]`));
    requestItems[table] = written[table].map((item) => ({ PutRequest: { Item: item } }));
  }
  return { operation: 'BatchPutItem', input: { RequestItems: requestItems }, items: written };
}

function batchDeleteItem(request: Json): Translated {
  const requestItems: NonNullable<BatchWriteItemCommandInput['RequestItems']> = {};
  const keys: Record<string, Item[]> = {};
  for (const [table, value] of tables(request)) {
    const path = `request.tables.${table}`;
    keys[table] = items(value, path).map((entry, index) => toAttributeMap(entry, `${path}[${index}]`));
    requestItems[table] = keys[table].map((entry) => ({ DeleteRequest: { Key: entry } }));
  }
  return { operation: 'BatchDeleteItem', input: { RequestItems: requestItems }, keys };
}

function transactGetItems(request: Json): Translated {
  const transactItems = items(request.transactItems, 'request.transactItems').map((value, index) => {
    const path = `request.transactItems[${index}]`;
    const entry = object(value, path);
    const placeholders = new Placeholders();
    const projected = projection(entry, path, placeholders);
    return { Get: { TableName: text(entry.table, `${path}.table`), Key: key(entry, path), ...projected, ...placeholders.input() } };
  });
  return { operation: 'TransactGetItems', input: { TransactItems: transactItems } };
}

function transactCondition(entry: Json, path: string, placeholders: Placeholders, required: boolean) {
  if (entry.condition === undefined || entry.condition === null) {
    if (required) throw new RequestError(`${path}.condition is required for a ConditionCheck`);
    return {};
  }
  const returnOld = isMap(entry.condition) ? entry.condition.returnValuesOnConditionCheckFailure : undefined;
  return {
    ConditionExpression: placeholders.add(entry.condition, `${path}.condition`),
    // AppSync returns the item that failed the check unless the request says not to.
    ReturnValuesOnConditionCheckFailure: returnOld === false ? ('NONE' as const) : ('ALL_OLD' as const),
  };
}

function transactWriteItems(request: Json): Translated {
  const keys: Item[] = [];
  const transactItems = items(request.transactItems, 'request.transactItems').map((value, index): TransactWriteItem => {
    const path = `request.transactItems[${index}]`;
    const entry = object(value, path);
    const table = text(entry.table, `${path}.table`);
    const itemKey = key(entry, path);
    keys.push(itemKey);
    const placeholders = new Placeholders();
    switch (entry.operation) {
      case 'PutItem': {
        const attributes = optional(entry.attributeValues, (attributeValues) => toAttributeMap(attributeValues, `${path}.attributeValues`)) ?? {};
        const checked = transactCondition(entry, path, placeholders, false);
        return { Put: { TableName: table, Item: { ...attributes, ...itemKey }, ...checked, ...placeholders.input() } };
      }
      case 'UpdateItem': {
        const update = placeholders.add(entry.update, `${path}.update`);
        const checked = transactCondition(entry, path, placeholders, false);
        return { Update: { TableName: table, Key: itemKey, UpdateExpression: update, ...checked, ...placeholders.input() } };
      }
      case 'DeleteItem': {
        const checked = transactCondition(entry, path, placeholders, false);
        return { Delete: { TableName: table, Key: itemKey, ...checked, ...placeholders.input() } };
      }
      case 'ConditionCheck': {
        const checked = transactCondition(entry, path, placeholders, true) as { ConditionExpression: string };
        return { ConditionCheck: { TableName: table, Key: itemKey, ...checked, ...placeholders.input() } };
      }
      default:
        throw new RequestError(`${path}.operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck, got ${JSON.stringify(entry.operation)}`);
    }
  });
  return { operation: 'TransactWriteItems', input: { TransactItems: transactItems }, keys };
}

const TRANSLATORS: Record<string, (request: Json, table: string) => Translated> = {
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchPutItem: batchPutItem,
  BatchDeleteItem: batchDeleteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
};

/** Translates one request object; `table` is the data source's table, used by the single-table operations. */
export function translateRequest(request: unknown, table: string): Translated {
  const body = object(request, 'request');
  const operation = body.operation;
  if (operation === 'Sync') throw new RequestError('Sync needs a versioned data source (conflict detection), which the sandbox does not emulate');
  const translator = typeof operation === 'string' && Object.hasOwn(TRANSLATORS, operation) ? TRANSLATORS[operation] : undefined;
  if (!translator) throw new RequestError(`request.operation must be one of ${Object.keys(TRANSLATORS).join(', ')}; got ${JSON.stringify(operation)}`);
  return translator(body, table);
}
