// Shapes shared by the loader, the evaluator and the pipeline. They describe what AppSync hands a
// handler (the context) and what one handler invocation leaves behind (the evaluation result).

/** The two handlers an APPSYNC_JS module may export. */
export type HandlerName = 'request' | 'response';

/** The auth type strings `util.authType()` returns in AppSync. */
export type AuthType =
  | 'API Key Authorization'
  | 'IAM Authorization'
  | 'User Pool Authorization'
  | 'Open ID Connect Authorization'
  | 'Lambda Authorization';

/** `ctx.info` as AppSync fills it. */
export interface AppSyncInfo {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

/** `ctx.request` as AppSync fills it. */
export interface AppSyncRequest {
  headers: Record<string, string>;
  domainName: string | null;
}

/** An error as a data source or AppSync reports it in `ctx.error`. */
export interface ContextError {
  message: string;
  type: string;
}

/** The context object a handler receives; `args` is the same object as `arguments`. */
export interface AppSyncContext {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  stash: Record<string, unknown>;
  prev: { result: unknown };
  info: AppSyncInfo;
  request: AppSyncRequest;
  env: Record<string, string>;
  result?: unknown;
  error?: ContextError;
}

/** An error raised by `util.error`, `util.appendError`, `util.unauthorized` or the runtime itself. */
export interface ResolverError {
  message: string;
  type: string | null;
  data: unknown;
  errorInfo: unknown;
}

/** What `runtime.earlyReturn` recorded. */
export interface EarlyReturn {
  value: unknown;
  skipTo?: 'END' | 'NEXT';
}

/** One `console.*` call made by resolver code. */
export interface LogEntry {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  message: string;
}

/** An `extensions.invalidateSubscriptions` call. */
export interface SubscriptionInvalidation {
  subscriptionField: string;
  payload: Record<string, unknown>;
}

/** An `extensions.evictFromApiCache` call. */
export interface CacheEviction {
  typeName: string;
  fieldName: string;
  keys: Record<string, unknown>;
}

/** A subscription filter as `extensions.setSubscriptionFilter` takes it. */
export interface SubscriptionFilter {
  filterGroup: { filters: { fieldName: string; operator: string; value: unknown }[] }[];
}

/** Everything one handler invocation produced. */
export interface EvaluationResult {
  /** The handler's return value (or the early-return value), normalised through JSON as AppSync does. */
  value: unknown;
  /** Set when evaluation was aborted by `util.error`, `util.unauthorized` or a runtime failure. */
  error?: ResolverError;
  appendedErrors: ResolverError[];
  earlyReturn?: EarlyReturn;
  unauthorized?: boolean;
  subscriptionFilter?: unknown;
  subscriptionInvalidationFilter?: unknown;
  invalidations: SubscriptionInvalidation[];
  cacheEvictions: CacheEviction[];
  responseHeaders: Record<string, unknown>;
  logs: LogEntry[];
}
