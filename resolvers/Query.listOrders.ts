import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './lib/errors';
import { requireAdmin } from './lib/identity';
import { statusPartition } from './lib/keys';
import { checkNextToken, pageLimit, rejectProblems, type Problem } from './lib/validation';

type Args = { status: string; limit?: number | null; nextToken?: string | null };

export function request(ctx: Context<Args>) {
  requireAdmin(ctx);
  const problems: Problem[] = [];
  const limit = pageLimit(problems, ctx.args.limit);
  checkNextToken(problems, ctx.args.nextToken);
  rejectProblems(problems);
  return query({
    index: 'GSI3',
    query: { GSI3PK: { eq: statusPartition(ctx.args.status) } },
    limit,
    nextToken: ctx.args.nextToken || null,
    scanIndexForward: true,
  });
}

export function response(ctx: Context<Args>) {
  raiseDataSourceError(ctx);
  return { items: ctx.result.items || [], nextToken: ctx.result.nextToken || null };
}
