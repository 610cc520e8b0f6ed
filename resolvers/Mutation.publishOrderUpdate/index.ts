import { util, type Context } from '@aws-appsync/utils';
import { orderIdProblems } from '../lib/order';
import { checkText, rejectProblems } from '../lib/validation';

type Args = { input: { id: string; status: string; reason?: string | null } };

/** Only backend callers signing with IAM move orders along; the schema says so too, this holds if it drifts. */
export function request(ctx: Context<Args>) {
  if (util.authType() !== 'IAM Authorization') util.unauthorized();
  const problems = orderIdProblems('input.id', ctx.args.input.id);
  if (ctx.args.input.reason !== undefined && ctx.args.input.reason !== null) checkText(problems, 'input.reason', ctx.args.input.reason, 0, 500);
  rejectProblems(problems);
  return {};
}

export function response(ctx: Context<Args>) {
  return ctx.prev.result;
}
