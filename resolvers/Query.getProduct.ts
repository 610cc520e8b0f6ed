import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './lib/errors';
import { requireUser } from './lib/identity';
import { productKey } from './lib/keys';
import { checkSku } from './lib/product';
import { rejectProblems, type Problem } from './lib/validation';

export function request(ctx: Context<{ sku: string }>) {
  requireUser(ctx);
  const problems: Problem[] = [];
  checkSku(problems, 'sku', ctx.args.sku);
  rejectProblems(problems);
  return get({ key: productKey(ctx.args.sku) });
}

export function response(ctx: Context<{ sku: string }>) {
  raiseDataSourceError(ctx);
  return ctx.result || null;
}
