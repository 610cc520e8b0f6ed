import { runtime, util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../lib/errors';
import { orderKey } from '../lib/keys';

/** Only for a retried request: reads the order its idempotency key points at. */
export function request(ctx: Context) {
  if (!ctx.stash.existingOrderId) runtime.earlyReturn(null);
  return get({ key: orderKey(ctx.stash.existingOrderId), consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  if (!ctx.result) util.error('input.idempotencyKey points at an order that no longer exists; use a new key', 'ConflictError');
  ctx.stash.existingOrder = ctx.result;
  return ctx.result;
}
