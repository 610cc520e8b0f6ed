import { util, type Context } from '@aws-appsync/utils';
import { ORDERS_TABLE } from '../lib/env';
import { orderStatusIndexKeys } from '../lib/keys';
import { CANCELLABLE_STATUSES } from '../lib/order-status';
import { apiEvent, outboxPut } from '../lib/outbox';
import { statusUpdateRequest } from '../lib/status-update';

type Args = { id: string; reason?: string | null };

/**
 * Cancels and records OrderCancelled in the outbox in one transaction. The condition repeats the owner and
 * status checks, so a concurrent change cannot slip between read and write.
 */
export function request(ctx: Context<Args>) {
  const order = ctx.stash.order;
  const now = util.time.nowISO8601();
  const reason = ctx.args.reason || null;
  const event = apiEvent('OrderCancelled', order.id, 'appsync:cancelOrder', now, {
    orderId: order.id,
    owner: order.owner,
    previousStatus: order.status,
    reason,
    cancelledAt: now,
  });
  ctx.stash.pendingEvents = [event];
  ctx.stash.cancelledOrder = { ...order, ...orderStatusIndexKeys(order.owner, 'CANCELLED'), status: 'CANCELLED', statusReason: reason, updatedAt: now };
  const update = statusUpdateRequest(order, 'CANCELLED', CANCELLABLE_STATUSES, reason, now);
  return { operation: 'TransactWriteItems', transactItems: [{ table: ORDERS_TABLE, ...update }, outboxPut(order.id, event)] };
}

export function response(ctx: Context<Args>) {
  if (ctx.error) {
    const reasons = (ctx.result && ctx.result.cancellationReasons) || [];
    if (reasons.length > 0 && reasons[0] && reasons[0].type === 'ConditionalCheckFailed') {
      util.error(`status: order ${ctx.args.id} changed while cancelling; only PENDING or RESERVED orders can be cancelled`, 'InvalidStateError');
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.cancelledOrder;
}
