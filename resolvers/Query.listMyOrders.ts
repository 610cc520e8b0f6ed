import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './lib/errors';
import { requireUser } from './lib/identity';
import { customerOrdersPartition, customerStatusPartition } from './lib/keys';
import { checkNextToken, pageLimit, rejectProblems, type Problem } from './lib/validation';

type Args = { status?: string | null; limit?: number | null; nextToken?: string | null };

export function request(ctx: Context<Args>) {
  const caller = requireUser(ctx);
  const problems: Problem[] = [];
  const limit = pageLimit(problems, ctx.args.limit);
  checkNextToken(problems, ctx.args.nextToken);
  rejectProblems(problems);
  const page = { limit, nextToken: ctx.args.nextToken || null, scanIndexForward: false };
  if (ctx.args.status) {
    return query({ index: 'GSI2', query: { GSI2PK: { eq: customerStatusPartition(caller.sub, ctx.args.status) } }, ...page });
  }
  return query({ index: 'GSI1', query: { GSI1PK: { eq: customerOrdersPartition(caller.sub) } }, ...page });
}

export function response(ctx: Context<Args>) {
  raiseDataSourceError(ctx);
  return { items: ctx.result.items || [], nextToken: ctx.result.nextToken || null };
}
