import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './lib/errors';
import { requireUser } from './lib/identity';
import { orderKey } from './lib/keys';
import { checkId, rejectProblems, type Problem } from './lib/validation';

export function request(ctx: Context<{ id: string }>) {
  requireUser(ctx);
  const problems: Problem[] = [];
  checkId(problems, 'id', ctx.args.id);
  rejectProblems(problems);
  return get({ key: orderKey(ctx.args.id) });
}

export function response(ctx: Context<{ id: string }>) {
  raiseDataSourceError(ctx);
  const order = ctx.result;
  if (!order) return null;
  const caller = requireUser(ctx);
  // Another customer's order looks exactly like one that does not exist, so ids cannot be probed.
  if (order.owner !== caller.sub && !caller.isAdmin) return null;
  return order;
}
