import { runtime, type Context } from '@aws-appsync/utils';
import { batchDelete } from '@aws-appsync/utils/dynamodb';
import { ORDERS_TABLE } from './env';
import type { OutboxEvent } from './outbox';

/** Removes published events from the outbox; one left behind is only published again, which consumers deduplicate. */
export function request(ctx: Context) {
  const published: OutboxEvent[] = ctx.stash.publishedEvents || [];
  if (published.length === 0) runtime.earlyReturn(null);
  const keys = published.map((event) => ({ PK: `ORDER#${event.detail.correlationId}`, SK: `EVENT#${event.detail.eventId}` }));
  return batchDelete({ tables: { [ORDERS_TABLE]: keys } });
}

export function response(ctx: Context) {
  if (ctx.error) console.error('Published events stay in the outbox; the sweep will clear them', { error: ctx.error.type });
  return null;
}
