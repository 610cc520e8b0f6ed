import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeError } from '../lib/errors';
import { putEvents, validateOutgoingEvent } from '../lib/events';
import { isConditionalCheckFailed } from '../lib/idempotency';
import { logger } from '../lib/logger';
import { eventOfOutboxItem, OUTBOX_INDEX, OUTBOX_PARTITION, type OutboxItem, type OutgoingEvent } from '../lib/outbox';

/** An event younger than this is left to the mutation that wrote it, which publishes it itself. */
export const MIN_AGE_SECONDS = 60;
/** Items read per Query page. */
export const PAGE_SIZE = 100;

/** What {@link republishOutbox} needs. */
export interface RepublishDeps {
  readonly table: Pick<DynamoDBDocumentClient, 'send'>;
  readonly events: Pick<EventBridgeClient, 'send'>;
  readonly tableName: string;
  readonly busName: string;
  readonly now?: () => Date;
  /** Milliseconds this invocation has left; the sweep stops taking pages when under {@link RepublishOptions.reserveMs}. */
  readonly remainingTimeMs?: () => number;
}

/** Bounds of one sweep. */
export interface RepublishOptions {
  /** Most items one run handles; the next run, a minute later, takes the rest. @default 1000 */
  readonly maxItems?: number;
  /** Time kept back for the last page's PutEvents and deletes. @default 10000 */
  readonly reserveMs?: number;
}

/** Counts of one sweep. */
export interface RepublishResult {
  /** Outbox items older than the minimum age that the sweep looked at. */
  found: number;
  /** Published with their original event id, and deleted from the outbox. */
  published: number;
  /** Refused by PutEvents: they stay in the outbox for the next run. */
  failed: number;
  /** Already deleted by the time the sweep came to delete them (the mutation's own clean-up won). */
  alreadyDeleted: number;
  /** Broke their contract: taken out of the index (kept in the table with the reason) so they stop blocking. */
  quarantined: number;
  /** Whether items may remain (item or time budget reached). */
  truncated: boolean;
}

/**
 * The outbox sweep, run every minute by EventBridge Scheduler: pages through GSI4's OUTBOX partition for events
 * older than a minute, oldest first, publishes each with its original event id (consumers deduplicate on it) and
 * deletes the item only once PutEvents accepted that entry. An entry PutEvents refuses keeps its item, so nothing
 * is lost on a partial failure. An item whose event breaks its contract can never be published: it leaves the
 * index (GSI4 keys removed, `quarantineReason` set) and stays in the table for someone to look at.
 */
export async function republishOutbox(deps: RepublishDeps, options: RepublishOptions = {}): Promise<RepublishResult> {
  const maxItems = options.maxItems ?? 1000;
  const reserveMs = options.reserveMs ?? 10_000;
  const now = (deps.now ?? (() => new Date()))();
  const cutoff = new Date(now.getTime() - MIN_AGE_SECONDS * 1000).toISOString();
  const result: RepublishResult = { found: 0, published: 0, failed: 0, alreadyDeleted: 0, quarantined: 0, truncated: false };
  let startKey: Record<string, unknown> | undefined;
  do {
    if (result.found >= maxItems || (deps.remainingTimeMs && deps.remainingTimeMs() < reserveMs)) {
      result.truncated = true;
      break;
    }
    const page = await deps.table.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: OUTBOX_INDEX,
        KeyConditionExpression: 'GSI4PK = :outbox AND GSI4SK < :cutoff',
        ExpressionAttributeValues: { ':outbox': OUTBOX_PARTITION, ':cutoff': cutoff },
        Limit: Math.min(PAGE_SIZE, maxItems - result.found),
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (page.Items ?? []) as OutboxItem[];
    result.found += items.length;
    await republishPage(items, deps, now, result);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return result;
}

async function republishPage(items: readonly OutboxItem[], deps: RepublishDeps, now: Date, result: RepublishResult): Promise<void> {
  const publishable: { item: OutboxItem; event: OutgoingEvent }[] = [];
  for (const item of items) {
    const event = eventOfOutboxItem(item);
    try {
      validateOutgoingEvent(event);
      publishable.push({ item, event });
    } catch (error) {
      await quarantine(item, describeError(error).message, deps, now);
      result.quarantined += 1;
    }
  }
  if (publishable.length === 0) return;
  const outcome = await putEvents(
    deps.events,
    deps.busName,
    publishable.map((entry) => entry.event),
  );
  for (const failure of outcome.failed) {
    logger.warn('Event refused by PutEvents; it stays in the outbox', { eventId: failure.event.detail.eventId, errorCode: failure.errorCode, errorMessage: failure.errorMessage });
  }
  result.failed += outcome.failed.length;
  const published = new Set(outcome.published);
  for (const { item, event } of publishable) {
    if (!published.has(event)) continue;
    result.published += 1;
    try {
      await deps.table.send(new DeleteCommand({ TableName: deps.tableName, Key: { PK: item.PK, SK: item.SK }, ConditionExpression: 'attribute_exists(PK)' }));
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      result.alreadyDeleted += 1;
    }
  }
}

async function quarantine(item: OutboxItem, reason: string, deps: RepublishDeps, now: Date): Promise<void> {
  logger.error('Outbox event breaks its contract; quarantined', { eventId: item.detail?.eventId, pk: item.PK, sk: item.SK, reason });
  await deps.table.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: { PK: item.PK, SK: item.SK },
      UpdateExpression: 'REMOVE GSI4PK, GSI4SK SET quarantineReason = :reason, quarantinedAt = :now',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':reason': reason.slice(0, 1000), ':now': now.toISOString() },
    }),
  );
}
