import { util, type Context } from '@aws-appsync/utils';
import { requireUser } from '../lib/identity';
import { createOrderProblems, type CreateOrderInput } from '../lib/order';
import { rejectProblems } from '../lib/validation';

type Args = { input: CreateOrderInput };

/** Validates the input and fixes the order's id and timestamp, so every step below agrees on them. */
export function request(ctx: Context<Args>) {
  const caller = requireUser(ctx);
  rejectProblems(createOrderProblems(ctx.args.input));
  ctx.stash.owner = caller.sub;
  ctx.stash.orderId = util.autoUlid();
  ctx.stash.now = util.time.nowISO8601();
  return {};
}

/** The order written now, or the one an earlier request with the same idempotency key wrote. */
export function response(ctx: Context<Args>) {
  return ctx.stash.existingOrder || ctx.stash.order;
}
