import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './lib/errors';
import { requireUser } from './lib/identity';
import { checkNextToken, pageLimit, rejectProblems, type Problem } from './lib/validation';

type Args = { limit?: number | null; nextToken?: string | null };

export function request(ctx: Context<Args>) {
  requireUser(ctx);
  const problems: Problem[] = [];
  const limit = pageLimit(problems, ctx.args.limit);
  checkNextToken(problems, ctx.args.nextToken);
  rejectProblems(problems);
  return query({ index: 'GSI1', query: { GSI1PK: { eq: 'PRODUCTS' } }, limit, nextToken: ctx.args.nextToken || null });
}

export function response(ctx: Context<Args>) {
  raiseDataSourceError(ctx);
  return { items: ctx.result.items || [], nextToken: ctx.result.nextToken || null };
}
