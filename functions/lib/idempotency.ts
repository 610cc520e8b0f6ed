import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';

/**
 * Two ways a consumer stays idempotent on an event or message id, and when each is used:
 *
 * - The side effect is a DynamoDB write: the write itself is the marker. A conditional put
 *   (`attribute_not_exists(PK)`) of an item keyed by the event id, or a transaction whose first item is such a
 *   put, happens once; a redelivery hits the condition and is a success no-op ({@link putOnce}). One round
 *   trip, no separate record, no window between "done" and "remembered".
 * - The side effect is outside DynamoDB (an email): Powertools idempotency ({@link idempotentOnEventId}) keeps an
 *   INPROGRESS/COMPLETED record in the single table (`PK = IDEMPOTENCY#<function>`, `SK = <function>#<md5 of
 *   the event id, base64>`, expiry in `expiresAt`, the table's TTL attribute), so a duplicate delivery, even a concurrent
 *   one, does not send twice.
 */

/** How long a handled event id is remembered: longer than SQS retention (4 days) plus a DLQ redrive. */
export const IDEMPOTENCY_EXPIRY_SECONDS = 7 * 24 * 60 * 60;

/** Powertools' DynamoDB persistence on the single table, one partition per function. */
export function idempotencyStore(client: DynamoDBClient, tableName: string, functionName: string): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: client,
    keyAttr: 'PK',
    sortKeyAttr: 'SK',
    staticPkValue: `IDEMPOTENCY#${functionName}`,
    expiryAttr: 'expiresAt',
  });
}

/** Options of {@link idempotentOnEventId}. */
export interface IdempotentOptions {
  readonly persistenceStore: BasePersistenceLayer;
  /** Logical function name, the record key's prefix (stable across environments and renames). */
  readonly functionName: string;
}

/** A function made idempotent; tell it each invocation's Lambda context before calling it. */
export type IdempotentFunction<A extends unknown[], R> = ((...args: A) => Promise<R & { replayed?: boolean }>) & {
  /** So an INPROGRESS record expires with the invocation that wrote it, should that invocation die. */
  registerLambdaContext(context: Context): void;
};

/**
 * Makes `fn(event, ...rest)` run once per `event.detail.eventId`: a later call with the same id returns the
 * first call's stored result, marked `replayed: true`, without running `fn`; a call while the first is still
 * running throws `IdempotencyAlreadyInProgressError` (so the record is retried later). If `fn` throws, nothing
 * is remembered and a retry runs it again. An event without an id is refused.
 */
export function idempotentOnEventId<A extends [{ detail: { eventId: string } }, ...unknown[]], R extends object>(
  fn: (...args: A) => Promise<R>,
  options: IdempotentOptions,
): IdempotentFunction<A, R> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.eventId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
  // The options type is conditional on whether argument 1 is a Lambda context, which a generic `A` leaves open.
  const idempotencyOptions = { persistenceStore: options.persistenceStore, config, keyPrefix: options.functionName, dataIndexArgument: 0 };
  const run = makeIdempotent(fn, idempotencyOptions as Parameters<typeof makeIdempotent>[1]) as (...args: A) => Promise<R & { replayed?: boolean }>;
  return Object.assign(run, { registerLambdaContext: (context: Context) => config.registerLambdaContext(context) });
}

/** Result of {@link putOnce}. */
export type PutOnceResult = 'written' | 'duplicate';

/** Puts the item unless one with its key exists; an existing one means this work was done before. */
export async function putOnce(client: Pick<DynamoDBDocumentClient, 'send'>, tableName: string, item: Record<string, unknown> & { PK: string; SK: string }): Promise<PutOnceResult> {
  try {
    await client.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
    return 'written';
  } catch (error) {
    if (isConditionalCheckFailed(error)) return 'duplicate';
    throw error;
  }
}

/** Whether a write failed only because its condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** Codes of a cancelled transaction, one per item (`None` for items that were fine), or undefined if it was not cancelled. */
export function cancellationCodes(error: unknown): string[] | undefined {
  const cancelled = error instanceof TransactionCanceledException || (error as { name?: string } | null)?.name === 'TransactionCanceledException';
  if (!cancelled) return undefined;
  return ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}
