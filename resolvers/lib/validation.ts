import { util } from '@aws-appsync/utils';

/** One broken rule: the field's path in the arguments and the rule it breaks. */
export type Problem = { field: string; rule: string };

/** GraphQL error type of every input validation failure. */
export const VALIDATION_ERROR = 'ValidationError';

/** Raises one GraphQL error naming every problem ("items[0].quantity must be a positive integer; ..."). */
export function rejectProblems(problems: Problem[]): void {
  if (problems.length === 0) return;
  const messages: string[] = [];
  for (const problem of problems) messages.push(`${problem.field} ${problem.rule}`);
  util.error(messages.join('; '), VALIDATION_ERROR, null, { problems });
}

/** Whether value is an integer in [min, max]. */
export function isIntegerBetween(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Whether a string matches the whole pattern (AppSync resolvers may not use regex literals). */
export function matchesWhole(pattern: string, value: unknown): boolean {
  return typeof value === 'string' && util.matches(`^(?:${pattern})$`, value);
}

/** Adds a problem when `value` is not a string of `min`-`max` characters after trimming. */
export function checkText(problems: Problem[], field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
    problems.push({ field, rule: min > 0 ? `must be ${min}-${max} characters` : `must be at most ${max} characters` });
  }
}

/** Page size from `limit`: 20 when absent, otherwise 1-100. */
export function pageLimit(problems: Problem[], limit: unknown): number {
  if (limit === undefined || limit === null) return 20;
  if (!isIntegerBetween(limit, 1, 100)) problems.push({ field: 'limit', rule: 'must be an integer from 1 to 100' });
  return limit as number;
}

/** Checks an opaque pagination token is a plausible one before DynamoDB sees it. */
export function checkNextToken(problems: Problem[], nextToken: unknown): void {
  if (nextToken === undefined || nextToken === null) return;
  if (typeof nextToken !== 'string' || nextToken.length === 0 || nextToken.length > 4096) {
    problems.push({ field: 'nextToken', rule: 'must be a token returned by a previous page' });
  }
}

/** Checks an id argument: 1-64 letters, digits, dashes or underscores. */
export function checkId(problems: Problem[], field: string, id: unknown): void {
  if (!matchesWhole('[A-Za-z0-9_-]{1,64}', id)) problems.push({ field, rule: 'must be 1-64 letters, digits, _ or -' });
}
