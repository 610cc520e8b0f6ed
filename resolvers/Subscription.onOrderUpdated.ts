import { extensions, util, type Context } from '@aws-appsync/utils';
import { requireUser } from './lib/identity';
import { orderIdProblems } from './lib/order';
import { rejectProblems } from './lib/validation';

type Args = { id?: string | null };

export function request(ctx: Context<Args>) {
  requireUser(ctx);
  if (ctx.args.id !== undefined && ctx.args.id !== null) rejectProblems(orderIdProblems('id', ctx.args.id));
  return { payload: null };
}

/** Customers hear only about their own orders; admins about every order, or the one they name. */
export function response(ctx: Context<Args>) {
  const caller = requireUser(ctx);
  const filter: Record<string, unknown> = {};
  if (!caller.isAdmin) filter.owner = { eq: caller.sub };
  if (ctx.args.id) filter.id = { eq: ctx.args.id };
  if (Object.keys(filter).length > 0) extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  return null;
}
