import { runtime, util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../lib/errors';
import { pendingEvents } from '../lib/outbox';

/** Only for a retried request: reads the order its idempotency key points at, and any event it has not published yet. */
export function request(ctx: Context) {
  if (!ctx.stash.existingOrderId) runtime.earlyReturn(null);
  return query({ query: { PK: { eq: `ORDER#${ctx.stash.existingOrderId}` } }, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  const items = ctx.result.items || [];
  const order = items.find((item: { SK: string }) => item.SK === 'ORDER');
  if (!order) util.error('input.idempotencyKey points at an order that no longer exists; use a new key', 'ConflictError');
  ctx.stash.existingOrder = order;
  ctx.stash.pendingEvents = pendingEvents(items);
  return order;
}
