import type { AppSyncContext, AppSyncInfo, AppSyncRequest, AuthType, ContextError } from './types';

/** What a caller may give `createContext`; everything is optional and `args` may stand for `arguments`. */
export interface ContextInput {
  arguments?: Record<string, unknown>;
  args?: Record<string, unknown>;
  identity?: unknown;
  source?: unknown;
  stash?: Record<string, unknown>;
  prev?: { result: unknown };
  info?: Partial<AppSyncInfo>;
  request?: Partial<AppSyncRequest>;
  env?: Record<string, string>;
  result?: unknown;
  error?: ContextError;
}

/** Builds an AppSync context with sensible defaults (a `Query.field` with no arguments, API key caller). */
export function createContext(input: ContextInput = {}): AppSyncContext {
  const args = input.arguments ?? input.args ?? {};
  const ctx: AppSyncContext = {
    arguments: args,
    args,
    identity: input.identity ?? null,
    source: input.source ?? null,
    stash: input.stash ?? {},
    prev: input.prev ?? { result: null },
    info: {
      fieldName: 'field',
      parentTypeName: 'Query',
      variables: {},
      selectionSetList: [],
      selectionSetGraphQL: '',
      ...input.info,
    },
    request: { headers: {}, domainName: null, ...input.request },
    env: input.env ?? {},
  };
  if (input.result !== undefined) ctx.result = input.result;
  if (input.error !== undefined) ctx.error = input.error;
  return ctx;
}

/** A copy of `ctx` for the next handler: same stash and arguments, its own prev/result/error. */
export function deriveContext(ctx: AppSyncContext, changes: { prev?: unknown; result?: unknown; error?: ContextError }): AppSyncContext {
  const next: AppSyncContext = { ...ctx, prev: { result: 'prev' in changes ? changes.prev : ctx.prev.result } };
  delete next.result;
  delete next.error;
  if (changes.result !== undefined) next.result = changes.result;
  if (changes.error !== undefined) next.error = changes.error;
  return next;
}

function has(identity: object, key: string): boolean {
  return Object.hasOwn(identity, key);
}

/** The auth type AppSync would report for a caller with this identity. */
export function inferAuthType(identity: unknown): AuthType {
  if (identity === null || identity === undefined || typeof identity !== 'object') return 'API Key Authorization';
  if (has(identity, 'resolverContext')) return 'Lambda Authorization';
  if (has(identity, 'accountId') || has(identity, 'userArn') || has(identity, 'cognitoIdentityPoolId')) return 'IAM Authorization';
  const issuer = (identity as { issuer?: unknown }).issuer;
  if (typeof issuer === 'string' && issuer.includes('cognito-idp')) return 'User Pool Authorization';
  if (has(identity, 'sub')) return 'Open ID Connect Authorization';
  return 'API Key Authorization';
}
