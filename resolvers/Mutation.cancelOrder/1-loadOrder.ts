import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../lib/errors';
import { orderKey } from '../lib/keys';
import { CANCELLABLE_STATUSES } from '../lib/order-status';

/** Reads the order so a refusal can say why: unknown, not yours, or too late. */
export function request(ctx: Context<{ id: string }>) {
  return get({ key: orderKey(ctx.args.id), consistentRead: true });
}

export function response(ctx: Context<{ id: string }>) {
  raiseDataSourceError(ctx);
  const order = ctx.result;
  // Someone else's order is reported as missing, exactly like an unknown id.
  if (!order || order.owner !== ctx.stash.caller.sub) util.error(`id: no order ${ctx.args.id} belongs to you`, 'NotFound');
  if (CANCELLABLE_STATUSES.indexOf(order.status) < 0) {
    util.error(`status: order ${order.id} is ${order.status}; only PENDING or RESERVED orders can be cancelled`, 'InvalidStateError');
  }
  ctx.stash.order = order;
  return order;
}
