import { runtime, type Context } from '@aws-appsync/utils';
import type { OutboxEvent } from './outbox';

/**
 * Publishes the events a pipeline stashed in `pendingEvents` through the EventBridge data source. A failed
 * publish never fails the mutation: the write was accepted and the events wait in the outbox, where a retry
 * with the same idempotency key or the republish-outbox sweep sends them.
 */
export function request(ctx: Context) {
  const pending: OutboxEvent[] = ctx.stash.pendingEvents || [];
  if (pending.length === 0) runtime.earlyReturn(null);
  return {
    operation: 'PutEvents',
    events: pending.map((event) => ({ source: event.source, detailType: event.detailType, detail: event.detail })),
  };
}

export function response(ctx: Context) {
  const pending: OutboxEvent[] = ctx.stash.pendingEvents || [];
  const failed = ctx.error || !ctx.result || ctx.result.FailedEntryCount > 0;
  if (failed) {
    console.error('Events stay in the outbox for the republish sweep', { eventIds: pending.map((event) => event.detail.eventId), error: ctx.error ? ctx.error.type : 'FailedEntries' });
    ctx.stash.publishedEvents = [];
    return null;
  }
  ctx.stash.publishedEvents = pending;
  return null;
}
