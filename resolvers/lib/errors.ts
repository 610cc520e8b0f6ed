import { util, type Context } from '@aws-appsync/utils';

/** Passes a data source error on as the GraphQL error, keeping AppSync's error type. */
export function raiseDataSourceError(ctx: Context): void {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
}
