import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../lib/errors';
import { orderKey } from '../lib/keys';
import { statusesAllowedBefore } from '../lib/order-status';

type Args = { input: { id: string; status: string } };

/** Reads the order: its owner is part of the index keys the status update rewrites. */
export function request(ctx: Context<Args>) {
  return get({ key: orderKey(ctx.args.input.id), consistentRead: true });
}

export function response(ctx: Context<Args>) {
  raiseDataSourceError(ctx);
  const order = ctx.result;
  if (!order) util.error(`input.id: no order ${ctx.args.input.id}`, 'NotFound');
  const target = ctx.args.input.status;
  if (statusesAllowedBefore(target).indexOf(order.status) < 0) {
    util.error(`input.status: order ${order.id} cannot move from ${order.status} to ${target}`, 'InvalidStateError');
  }
  ctx.stash.order = order;
  return order;
}
