// `@aws-appsync/utils/dynamodb`: builders of DynamoDB data source requests.
//
// Shapes follow the JavaScript resolver reference for DynamoDB. Where AppSync's generated text is
// known from its EvaluateCode API it is matched: update expressions use `#expName_N`/`:expValue_N`
// (`SET #expName_1 = :expValue_1, #expName_2 = :expValue_2`), null values are SET to NULL, and
// operations are `{ type: 'OPERATION_ADD', value }`-style objects; conditions and filters reuse
// util.transform. Key conditions, projections, REMOVE clauses, nested paths and list items are not
// documented: they are rendered as plain, valid and deterministic DynamoDB expressions.
import { renderDynamoDBExpression, type DynamoDBExpression } from './transform';
import { toDynamoDB, toMapValues } from './util/dynamodb';

type Json = Record<string, unknown>;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies the listed fields that are set (not null or undefined). */
function defined(source: Json, fields: string[]): Json {
  const out: Json = {};
  for (const field of fields) {
    if (source[field] !== undefined && source[field] !== null) out[field] = source[field];
  }
  return out;
}

function expression(filter: unknown, what: string): DynamoDBExpression | undefined {
  if (filter === undefined || filter === null) return undefined;
  const rendered = renderDynamoDBExpression(filter);
  if (rendered === null) throw new Error(`${what} cannot be rendered as a DynamoDB expression: ${JSON.stringify(filter)}`);
  return rendered;
}

function projection(paths: unknown): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!Array.isArray(paths) || paths.length === 0) return undefined;
  const expressionNames: Record<string, string> = {};
  const rendered = paths.map((path) =>
    String(path)
      .split('.')
      .map((segment) => {
        const [, name, indexes] = /^([^[]+)((?:\[\d+\])*)$/.exec(segment) ?? [segment, segment, ''];
        expressionNames[`#${name}`] = name;
        return `#${name}${indexes}`;
      })
      .join('.'),
  );
  return { expression: rendered.join(', '), expressionNames };
}

function writeExtras(payload: Json): Json {
  return defined(payload, ['customPartitionKey', 'populateIndexFields', '_version']);
}

/** A GetItem request. */
export function get(payload: Json) {
  return {
    operation: 'GetItem',
    key: toMapValues(payload.key),
    ...defined(payload, ['consistentRead']),
    ...(projection(payload.projection) ? { projection: projection(payload.projection) } : {}),
  };
}

/** A PutItem request; the key is not repeated in attributeValues. */
export function put(payload: Json) {
  const condition = expression(payload.condition, 'put condition');
  return {
    operation: 'PutItem',
    key: toMapValues(payload.key),
    attributeValues: toMapValues(payload.item),
    ...(condition ? { condition } : {}),
    ...writeExtras(payload),
  };
}

/** A DeleteItem request. */
export function remove(payload: Json) {
  const condition = expression(payload.condition, 'remove condition');
  return { operation: 'DeleteItem', key: toMapValues(payload.key), ...(condition ? { condition } : {}), ...writeExtras(payload) };
}

const KEY_OPERATORS: Record<string, string> = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };

function keyCondition(query: unknown): DynamoDBExpression {
  if (!isMap(query) || Object.keys(query).length === 0) throw new Error('query needs a key condition, e.g. { id: { eq: 1 } }');
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts: string[] = [];
  for (const [field, operators] of Object.entries(query)) {
    if (!isMap(operators)) throw new Error(`key condition on '${field}' needs an operator object`);
    names[`#${field}`] = field;
    for (const [operator, operand] of Object.entries(operators)) {
      const placeholder = `:${field}_${operator}`;
      if (Object.hasOwn(KEY_OPERATORS, operator)) {
        values[placeholder] = toDynamoDB(operand);
        parts.push(`#${field} ${KEY_OPERATORS[operator]} ${placeholder}`);
      } else if (operator === 'beginsWith') {
        values[placeholder] = toDynamoDB(operand);
        parts.push(`begins_with(#${field}, ${placeholder})`);
      } else if (operator === 'between' && Array.isArray(operand) && operand.length === 2) {
        values[`${placeholder}_start`] = toDynamoDB(operand[0]);
        values[`${placeholder}_end`] = toDynamoDB(operand[1]);
        parts.push(`#${field} BETWEEN ${placeholder}_start AND ${placeholder}_end`);
      } else throw new Error(`'${operator}' is not a key condition operator (eq, lt, le, gt, ge, between, beginsWith)`);
    }
  }
  return { expression: parts.join(' AND '), expressionNames: names, expressionValues: values };
}

function readOptions(payload: Json, fields: string[]): Json {
  const filter = expression(payload.filter, 'filter');
  const projected = projection(payload.projection);
  return { ...defined(payload, fields), ...(filter ? { filter } : {}), ...(projected ? { projection: projected } : {}) };
}

/** A Query request. */
export function query(payload: Json) {
  return {
    operation: 'Query',
    query: keyCondition(payload.query),
    ...readOptions(payload, ['index', 'nextToken', 'limit', 'scanIndexForward', 'consistentRead', 'select']),
  };
}

/** A Scan request. */
export function scan(payload: Json) {
  return { operation: 'Scan', ...readOptions(payload, ['index', 'limit', 'consistentRead', 'nextToken', 'totalSegments', 'segment', 'select']) };
}

/** A Sync request (versioned data sources). */
export function sync(payload: Json) {
  const filter = expression(payload.filter, 'filter');
  return {
    operation: 'Sync',
    ...defined(payload, ['basePartitionKey', 'deltaIndexName', 'limit', 'nextToken', 'lastSync']),
    ...(filter ? { filter } : {}),
  };
}

const OPERATION = {
  add: 'OPERATION_ADD',
  remove: 'OPERATION_REMOVE',
  replace: 'OPERATION_REPLACE',
  increment: 'OPERATION_INCREMENT',
  decrement: 'OPERATION_DECREMENT',
  append: 'OPERATION_APPEND',
  prepend: 'OPERATION_PREPEND',
  updateListItem: 'OPERATION_UPDATE_LIST_ITEM',
} as const;

/** The update operations, as the objects AppSync's own helpers return. */
export const operations = {
  add: (value: unknown) => ({ type: OPERATION.add, value }),
  remove: () => ({ type: OPERATION.remove }),
  replace: (value: unknown) => ({ type: OPERATION.replace, value }),
  increment: (by = 1) => ({ type: OPERATION.increment, by }),
  decrement: (by = 1) => ({ type: OPERATION.decrement, by }),
  append: (items: unknown[]) => ({ type: OPERATION.append, items }),
  prepend: (items: unknown[]) => ({ type: OPERATION.prepend, items }),
  updateListItem: (value: unknown, index: number) => ({ type: OPERATION.updateListItem, value, index }),
};

const KNOWN_OPERATIONS = new Set<string>(Object.values(OPERATION));

function operationType(value: unknown): string | undefined {
  return isMap(value) && typeof value.type === 'string' && KNOWN_OPERATIONS.has(value.type) ? value.type : undefined;
}

class UpdateBuilder {
  private counter = 0;
  readonly set: string[] = [];
  readonly remove: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  private next(attribute: string, value?: { v: unknown }): { name: string; value: string } {
    this.counter += 1;
    const name = `#expName_${this.counter}`;
    const placeholder = `:expValue_${this.counter}`;
    this.names[name] = attribute;
    if (value) this.values[placeholder] = toDynamoDB(value.v);
    return { name, value: placeholder };
  }

  attribute(parentPath: string, attribute: string, update: unknown): void {
    const type = operationType(update);
    const op = update as Json;
    if (type === OPERATION.remove) {
      const { name } = this.next(attribute);
      this.remove.push(`${parentPath}${name}`);
      return;
    }
    if (type === OPERATION.increment || type === OPERATION.decrement) {
      const { name, value } = this.next(attribute, { v: op.by });
      const path = `${parentPath}${name}`;
      this.set.push(`${path} = ${path} ${type === OPERATION.increment ? '+' : '-'} ${value}`);
      return;
    }
    if (type === OPERATION.append || type === OPERATION.prepend) {
      const { name, value } = this.next(attribute, { v: op.items });
      const path = `${parentPath}${name}`;
      this.set.push(type === OPERATION.append ? `${path} = list_append(${path}, ${value})` : `${path} = list_append(${value}, ${path})`);
      return;
    }
    if (type === OPERATION.add || type === OPERATION.replace) {
      const { name, value } = this.next(attribute, { v: op.value });
      this.set.push(`${parentPath}${name} = ${value}`);
      return;
    }
    if (Array.isArray(update) && update.length > 0 && update.every((item) => operationType(item) === OPERATION.updateListItem)) {
      for (const item of update as Json[]) {
        const { name, value } = this.next(attribute, { v: item.value });
        this.set.push(`${parentPath}${name}[${Number(item.index)}] = ${value}`);
      }
      return;
    }
    if (isMap(update) && type === undefined) {
      // a plain object updates the named attributes of the nested map, not the whole map
      this.counter += 1;
      const name = `#expName_${this.counter}`;
      this.names[name] = attribute;
      for (const [child, childUpdate] of Object.entries(update)) {
        if (childUpdate !== undefined) this.attribute(`${parentPath}${name}.`, child, childUpdate);
      }
      return;
    }
    const { name, value } = this.next(attribute, { v: update });
    this.set.push(`${parentPath}${name} = ${value}`);
  }

  expression(): DynamoDBExpression | { expression: string; expressionNames: Record<string, string> } {
    const clauses = [];
    if (this.set.length > 0) clauses.push(`SET ${this.set.join(', ')}`);
    if (this.remove.length > 0) clauses.push(`REMOVE ${this.remove.join(', ')}`);
    const rendered = { expression: clauses.join(' '), expressionNames: this.names };
    return Object.keys(this.values).length > 0 ? { ...rendered, expressionValues: this.values } : rendered;
  }
}

function updateExpression(update: unknown) {
  if (!isMap(update) || Object.keys(update).length === 0) throw new Error('update needs at least one attribute to change');
  const builder = new UpdateBuilder();
  for (const [attribute, value] of Object.entries(update)) {
    if (value !== undefined) builder.attribute('', attribute, value);
  }
  return builder.expression();
}

/** An UpdateItem request. */
export function update(payload: Json) {
  const condition = expression(payload.condition, 'update condition');
  return {
    operation: 'UpdateItem',
    key: toMapValues(payload.key),
    update: updateExpression(payload.update),
    ...(condition ? { condition } : {}),
    ...writeExtras(payload),
  };
}

type TableMap<T> = Record<string, T>;

/** A BatchGetItem request. */
export function batchGet(payload: { tables: TableMap<Json> }) {
  const tables: TableMap<Json> = {};
  for (const [table, spec] of Object.entries(payload.tables)) {
    const projected = projection(spec.projection);
    tables[table] = {
      keys: (spec.keys as unknown[]).map((key) => toMapValues(key)),
      ...defined(spec, ['consistentRead']),
      ...(projected ? { projection: projected } : {}),
    };
  }
  return { operation: 'BatchGetItem', tables };
}

/** A BatchPutItem request. */
export function batchPut(payload: { tables: TableMap<unknown[]> }) {
  const tables: TableMap<unknown[]> = {};
  for (const [table, items] of Object.entries(payload.tables)) tables[table] = items.map((item) => toMapValues(item));
  return { operation: 'BatchPutItem', tables };
}

/** A BatchDeleteItem request. */
export function batchDelete(payload: { tables: TableMap<unknown[]> }) {
  const tables: TableMap<unknown[]> = {};
  for (const [table, keys] of Object.entries(payload.tables)) tables[table] = keys.map((key) => toMapValues(key));
  return { operation: 'BatchDeleteItem', tables };
}

/** A TransactGetItems request. */
export function transactGet(payload: { items: Json[] }) {
  return {
    operation: 'TransactGetItems',
    transactItems: payload.items.map((item) => {
      const projected = projection(item.projection);
      return { table: item.table, key: toMapValues(item.key), ...(projected ? { projection: projected } : {}) };
    }),
  };
}

function transactCondition(condition: unknown) {
  const rendered = expression(condition, 'transaction condition');
  return rendered ? { condition: rendered } : {};
}

/** A TransactWriteItems request. */
export function transactWrite(payload: { items: Json[] }) {
  return {
    operation: 'TransactWriteItems',
    transactItems: payload.items.map((item) => {
      if (isMap(item.putItem)) {
        const { table, key, item: attributes, condition } = item.putItem;
        return { table, operation: 'PutItem', key: toMapValues(key), attributeValues: toMapValues(attributes), ...transactCondition(condition) };
      }
      if (isMap(item.updateItem)) {
        const { table, key, update: changes, condition } = item.updateItem;
        return { table, operation: 'UpdateItem', key: toMapValues(key), update: updateExpression(changes), ...transactCondition(condition) };
      }
      if (isMap(item.deleteItem)) {
        const { table, key, condition } = item.deleteItem;
        return { table, operation: 'DeleteItem', key: toMapValues(key), ...transactCondition(condition) };
      }
      if (isMap(item.conditionCheck)) {
        const { table, key, condition } = item.conditionCheck;
        return { table, operation: 'ConditionCheck', key: toMapValues(key), ...transactCondition(condition) };
      }
      throw new Error('transactWrite items need one of putItem, updateItem, deleteItem or conditionCheck');
    }),
  };
}

// The module-level set helpers document numbers as strings (`{ NS: ["1", "2", "3"] }`), unlike util.dynamodb.
/** `{ SS: list }` */
export const toStringSet = (list: string[]) => ({ SS: [...list] });
/** `{ NS: numbers as strings }` */
export const toNumberSet = (numbers: number[]) => ({ NS: numbers.map(String) });
/** `{ BS: values }` */
export const toBinarySet = (values: string[]) => ({ BS: [...values] });
