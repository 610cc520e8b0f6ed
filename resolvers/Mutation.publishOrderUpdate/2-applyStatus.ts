import { util, type Context } from '@aws-appsync/utils';
import { statusesAllowedBefore } from '../lib/order-status';
import { statusUpdateRequest } from '../lib/status-update';

type Args = { input: { id: string; status: string; reason?: string | null } };

/** Setting the status an order already has is allowed, so a redelivered event changes nothing but still notifies. */
export function request(ctx: Context<Args>) {
  const target = ctx.args.input.status;
  return statusUpdateRequest(ctx.stash.order, target, statusesAllowedBefore(target), ctx.args.input.reason || null, util.time.nowISO8601());
}

export function response(ctx: Context<Args>) {
  if (ctx.error) {
    if (ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
      util.error(`input.status: order ${ctx.args.input.id} changed concurrently; re-read it before moving it to ${ctx.args.input.status}`, 'InvalidStateError');
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
