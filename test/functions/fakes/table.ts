import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandInput,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type GetCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

/**
 * An in-memory single table behind the DynamoDB document client, for the few expression forms the functions
 * use: conditions `attribute_exists(x)` / `attribute_not_exists(x)`; updates with SET `a = :v`, ADD `a :n` and
 * REMOVE; queries `pk = :v` with `begins_with(sk, :v)` or a comparison on the sort key, on the table or a `GSIn`
 * index (`GSInPK`/`GSInSK`). Anything else throws, so a test never passes on an expression the fake ignored.
 * Every command is recorded in `calls`.
 */
export class FakeTable {
  readonly items = new Map<string, Item>();
  readonly calls: { command: string; input: unknown }[] = [];
  private readonly faults: { command: string; error: Error }[] = [];

  constructor(readonly tableName = 'orders-test') {}

  /** Stores items as they are (test setup). */
  seed(...items: object[]): this {
    for (const item of items) this.items.set(keyOf(item as Item), structuredClone(item as Item));
    return this;
  }

  /** The item with this key, if any. */
  get(PK: string, SK: string): Item | undefined {
    return this.items.get(keyOf({ PK, SK }));
  }

  /** Items whose partition key is `PK`. */
  partition(PK: string): Item[] {
    return [...this.items.values()].filter((item) => item.PK === PK);
  }

  /** The next `command` (e.g. `TransactWriteCommand`) fails with `error` instead of running. */
  failNext(command: string, error: Error): this {
    this.faults.push({ command, error });
    return this;
  }

  /** A `{ send }` that logic functions accept as their document client. */
  client(): Pick<DynamoDBDocumentClient, 'send'> {
    return { send: ((command: { constructor: { name: string }; input: unknown }) => this.dispatch(command.constructor.name, command.input)) as never };
  }

  /** Answers the commands of a mocked document client (`mockClient(DynamoDBDocumentClient)`). */
  serve(mock: AwsClientStub<DynamoDBDocumentClient>): void {
    const on = mock.on.bind(mock) as (command: unknown) => { callsFake: (fn: (input: unknown) => unknown) => void };
    for (const command of [PutCommand, GetCommand, DeleteCommand, UpdateCommand, TransactWriteCommand, BatchGetCommand, QueryCommand]) {
      on(command).callsFake((input) => this.dispatch(command.name, input));
    }
  }

  private async dispatch(command: string, input: unknown): Promise<unknown> {
    this.calls.push({ command, input: structuredClone(input) });
    const fault = this.faults.findIndex((candidate) => candidate.command === command);
    if (fault >= 0) throw this.faults.splice(fault, 1)[0].error;
    switch (command) {
      case 'PutCommand':
        return this.put(input as PutCommandInput);
      case 'GetCommand':
        return { Item: clone(this.items.get(keyOf((input as GetCommandInput).Key as Item))) };
      case 'DeleteCommand':
        return this.delete(input as DeleteCommandInput);
      case 'UpdateCommand':
        return this.update(input as UpdateCommandInput);
      case 'TransactWriteCommand':
        return this.transactWrite(input as TransactWriteCommandInput);
      case 'BatchGetCommand':
        return this.batchGet(input as BatchGetCommandInput);
      case 'QueryCommand':
        return this.query(input as QueryCommandInput);
      default:
        throw new Error(`FakeTable does not implement ${command}`);
    }
  }

  private put(input: PutCommandInput) {
    const item = input.Item as Item;
    requireCondition(this.items.get(keyOf(item)), input.ConditionExpression, input.ExpressionAttributeNames);
    this.items.set(keyOf(item), structuredClone(item));
    return {};
  }

  private delete(input: DeleteCommandInput) {
    const key = keyOf(input.Key as Item);
    requireCondition(this.items.get(key), input.ConditionExpression, input.ExpressionAttributeNames);
    this.items.delete(key);
    return {};
  }

  private update(input: UpdateCommandInput) {
    const key = input.Key as Item;
    const existing = this.items.get(keyOf(key));
    requireCondition(existing, input.ConditionExpression, input.ExpressionAttributeNames);
    this.items.set(keyOf(key), applyUpdate({ ...structuredClone(existing ?? {}), ...key }, input.UpdateExpression ?? '', input.ExpressionAttributeNames, input.ExpressionAttributeValues));
    return {};
  }

  private transactWrite(input: TransactWriteCommandInput) {
    const operations = input.TransactItems ?? [];
    const codes = operations.map((operation) => {
      const part = (operation.Put ?? operation.Update ?? operation.Delete ?? operation.ConditionCheck) as { Item?: Item; Key?: Item; ConditionExpression?: string; ExpressionAttributeNames?: Names };
      const existing = this.items.get(keyOf(part.Item ?? (part.Key as Item)));
      return conditionHolds(existing, part.ConditionExpression, part.ExpressionAttributeNames) ? 'None' : 'ConditionalCheckFailed';
    });
    if (codes.some((code) => code !== 'None')) {
      throw new TransactionCanceledException({
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: codes.map((code) => (code === 'None' ? { Code: 'None' } : { Code: code, Message: 'The conditional request failed' })),
      });
    }
    for (const operation of operations) {
      if (operation.Put) this.items.set(keyOf(operation.Put.Item as Item), structuredClone(operation.Put.Item as Item));
      if (operation.Delete) this.items.delete(keyOf(operation.Delete.Key as Item));
      if (operation.Update) {
        const { Key, UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues } = operation.Update;
        const existing = this.items.get(keyOf(Key as Item));
        this.items.set(keyOf(Key as Item), applyUpdate({ ...structuredClone(existing ?? {}), ...(Key as Item) }, UpdateExpression ?? '', ExpressionAttributeNames, ExpressionAttributeValues));
      }
    }
    return {};
  }

  private batchGet(input: BatchGetCommandInput) {
    const responses: Record<string, Item[]> = {};
    for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
      responses[table] = (request.Keys ?? []).map((key) => this.items.get(keyOf(key as Item))).filter((item): item is Item => item !== undefined).map((item) => structuredClone(item));
    }
    return { Responses: responses, UnprocessedKeys: {} };
  }

  private query(input: QueryCommandInput) {
    const names = input.ExpressionAttributeNames;
    const values = input.ExpressionAttributeValues;
    const [hashPart, rangePart] = (input.KeyConditionExpression ?? '').split(/\s+AND\s+/i);
    const hash = /^\s*(#?\w+)\s*=\s*(:\w+)\s*$/.exec(hashPart);
    if (!hash) throw new Error(`FakeTable cannot read the key condition ${input.KeyConditionExpression}`);
    const hashName = resolve(hash[1], names);
    const sortName = input.IndexName ? `${input.IndexName}SK` : 'SK';
    if (input.IndexName && hashName !== `${input.IndexName}PK`) throw new Error(`FakeTable expects ${input.IndexName}PK as ${input.IndexName}'s partition key`);
    const matchesRange = rangeMatcher(rangePart, values);
    let found = [...this.items.values()]
      .filter((item) => item[hashName] === values?.[hash[2]] && (!input.IndexName || item[sortName] !== undefined) && matchesRange(item[sortName]))
      .sort((a, b) => byteOrder(String(a[sortName]), String(b[sortName])) || byteOrder(String(a.PK), String(b.PK)));
    if (input.ScanIndexForward === false) found = found.reverse();
    if (input.ExclusiveStartKey) {
      const after = found.findIndex((item) => item.PK === input.ExclusiveStartKey?.PK && item.SK === input.ExclusiveStartKey?.SK);
      found = found.slice(after + 1);
    }
    const page = input.Limit ? found.slice(0, input.Limit) : found;
    const last = page[page.length - 1];
    const more = page.length < found.length;
    return { Items: page.map((item) => structuredClone(item)), Count: page.length, ...(more && last ? { LastEvaluatedKey: { PK: last.PK, SK: last.SK, ...(input.IndexName ? { [hashName]: last[hashName], [sortName]: last[sortName] } : {}) } } : {}) };
  }
}

function keyOf(item: Item): string {
  if (typeof item?.PK !== 'string' || typeof item?.SK !== 'string') throw new Error(`FakeTable needs string PK and SK, got ${JSON.stringify(item)}`);
  return `${item.PK}\u0000${item.SK}`;
}

function clone(item: Item | undefined): Item | undefined {
  return item === undefined ? undefined : structuredClone(item);
}

function resolve(name: string, names: Names): string {
  if (!name.startsWith('#')) return name;
  const resolved = names?.[name];
  if (!resolved) throw new Error(`FakeTable: ${name} is not in ExpressionAttributeNames`);
  return resolved;
}

function conditionHolds(existing: Item | undefined, condition: string | undefined, names: Names): boolean {
  if (!condition) return true;
  const match = /^\s*(attribute_exists|attribute_not_exists)\(\s*(#?\w+)\s*\)\s*$/.exec(condition);
  if (!match) throw new Error(`FakeTable cannot evaluate the condition ${condition}`);
  const present = existing !== undefined && existing[resolve(match[2], names)] !== undefined;
  return match[1] === 'attribute_exists' ? present : !present;
}

function requireCondition(existing: Item | undefined, condition: string | undefined, names: Names): void {
  if (!conditionHolds(existing, condition, names)) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } });
}

function applyUpdate(item: Item, expression: string, names: Names, values: Values): Item {
  const clauses = expression.split(/\b(SET|ADD|REMOVE)\b/).map((part) => part.trim()).filter(Boolean);
  for (let index = 0; index < clauses.length; index += 2) {
    const [action, body] = [clauses[index], clauses[index + 1] ?? ''];
    for (const part of body.split(',').map((piece) => piece.trim()).filter(Boolean)) {
      if (action === 'SET') {
        const set = /^(#?\w+)\s*=\s*(:\w+)$/.exec(part);
        if (!set) throw new Error(`FakeTable cannot apply SET ${part}`);
        item[resolve(set[1], names)] = structuredClone(values?.[set[2]]);
      } else if (action === 'ADD') {
        const add = /^(#?\w+)\s+(:\w+)$/.exec(part);
        if (!add) throw new Error(`FakeTable cannot apply ADD ${part}`);
        const name = resolve(add[1], names);
        item[name] = (typeof item[name] === 'number' ? (item[name] as number) : 0) + (values?.[add[2]] as number);
      } else if (action === 'REMOVE') {
        delete item[resolve(part, names)];
      } else {
        throw new Error(`FakeTable cannot apply ${action}`);
      }
    }
  }
  return item;
}

function rangeMatcher(part: string | undefined, values: Values): (value: unknown) => boolean {
  if (!part) return () => true;
  const beginsWith = /^\s*begins_with\(\s*(#?\w+)\s*,\s*(:\w+)\s*\)\s*$/.exec(part);
  if (beginsWith) return (value) => typeof value === 'string' && value.startsWith(String(values?.[beginsWith[2]]));
  const comparison = /^\s*(#?\w+)\s*(<=|>=|<|>|=)\s*(:\w+)\s*$/.exec(part);
  if (!comparison) throw new Error(`FakeTable cannot read the sort key condition ${part}`);
  const bound = String(values?.[comparison[3]]);
  const compare = (value: unknown) => byteOrder(String(value), bound);
  switch (comparison[2]) {
    case '<':
      return (value) => value !== undefined && compare(value) < 0;
    case '<=':
      return (value) => value !== undefined && compare(value) <= 0;
    case '>':
      return (value) => value !== undefined && compare(value) > 0;
    case '>=':
      return (value) => value !== undefined && compare(value) >= 0;
    default:
      return (value) => value === bound;
  }
}

/** DynamoDB orders string keys by their bytes; for the ASCII keys of these tests that is code-unit order. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
