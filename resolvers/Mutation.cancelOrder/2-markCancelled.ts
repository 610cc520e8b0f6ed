import { util, type Context } from '@aws-appsync/utils';
import { CANCELLABLE_STATUSES } from '../lib/order-status';
import { statusUpdateRequest } from '../lib/status-update';

type Args = { id: string; reason?: string | null };

/** The condition repeats the owner and status checks, so a concurrent change cannot slip between read and write. */
export function request(ctx: Context<Args>) {
  return statusUpdateRequest(ctx.stash.order, 'CANCELLED', CANCELLABLE_STATUSES, ctx.args.reason || null, util.time.nowISO8601());
}

export function response(ctx: Context<Args>) {
  if (ctx.error) {
    if (ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
      util.error(`status: order ${ctx.args.id} changed while cancelling; only PENDING or RESERVED orders can be cancelled`, 'InvalidStateError');
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
