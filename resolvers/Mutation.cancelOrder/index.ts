import type { Context } from '@aws-appsync/utils';
import { requireUser } from '../lib/identity';
import { orderIdProblems } from '../lib/order';
import { checkText, rejectProblems } from '../lib/validation';

type Args = { id: string; reason?: string | null };

export function request(ctx: Context<Args>) {
  ctx.stash.caller = requireUser(ctx);
  const problems = orderIdProblems('id', ctx.args.id);
  if (ctx.args.reason !== undefined && ctx.args.reason !== null) checkText(problems, 'reason', ctx.args.reason, 0, 500);
  rejectProblems(problems);
  return {};
}

/** The cancelled order, whatever happened to its event (a failed publish waits in the outbox). */
export function response(ctx: Context<Args>) {
  return ctx.stash.cancelledOrder;
}
