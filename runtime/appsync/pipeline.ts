// Runs a whole resolver as AppSync does.
// UNIT: request → data source → response.
// PIPELINE: request (before) → for each function: request → data source → response, each result
// becoming the next `ctx.prev.result` → response (after).
// runtime.earlyReturn: in a unit or function request it skips the data source and the response; in a
// function the pipeline goes on with the next function unless `skipTo: 'END'`, which goes straight
// to the resolver response; in the resolver request it skips every function. util.error (and
// util.unauthorized, and a runtime failure) stops the resolver: the field resolves to null with the
// error. A data source error does not stop anything: it reaches the response handler as `ctx.error`.
import { deriveContext } from './context';
import type { EvaluateOptions } from './evaluate';
import { loadResolverCode, type LoadOptions, type ResolverModule } from './loader';
import type { AppSyncContext, CacheEviction, ContextError, EvaluationResult, HandlerName, LogEntry, ResolverError, SubscriptionInvalidation } from './types';

/** Code as deployed (a bundled ES module) or a module already loaded. */
export type ResolverCode = string | ResolverModule;

/** A unit resolver: its code and the name of its data source. */
export interface UnitResolverDefinition {
  readonly kind: 'UNIT';
  readonly code: ResolverCode;
  readonly dataSource: string;
  /** Tags errors and logs. @default 'resolver' */
  readonly name?: string;
}

/** One AppSync function of a pipeline. */
export interface PipelineFunctionDefinition {
  readonly name: string;
  readonly code: ResolverCode;
  readonly dataSource: string;
}

/** A pipeline resolver: its before/after code and its functions in order. */
export interface PipelineResolverDefinition {
  readonly kind: 'PIPELINE';
  readonly code: ResolverCode;
  readonly functions: readonly PipelineFunctionDefinition[];
  /** Tags errors and logs. @default 'resolver' */
  readonly name?: string;
}

export type ResolverDefinition = UnitResolverDefinition | PipelineResolverDefinition;

/**
 * What a data source answered: a result, or an error that reaches the response handler as `ctx.error`.
 * Some errors come with a result too (a cancelled DynamoDB transaction puts `cancellationReasons` in
 * `ctx.result` beside `ctx.error`).
 */
export type DataSourceResponse = { result: unknown } | { error: ContextError; result?: unknown };

/** Sends a request object to the named data source; supplied by the caller (a fake, or the sandbox's adapters). */
export type InvokeDataSource = (dataSourceName: string, request: unknown, ctx: AppSyncContext) => DataSourceResponse | Promise<DataSourceResponse>;

/** An error as it appears in the GraphQL `errors` array (path and locations are the caller's to add). */
export interface GraphQLErrorEntry {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

/** A log line tagged with the resolver or function that wrote it. */
export interface TaggedLog extends LogEntry {
  source: string;
}

/** One handler or data source call, in the order they ran. */
export interface TraceStep {
  source: string;
  step: HandlerName | 'dataSource';
  dataSource?: string;
  request?: unknown;
  outcome: 'value' | 'error' | 'earlyReturn' | 'dataSourceError';
}

/** The outcome of a whole resolver. */
export interface ResolverExecution {
  /** The field's value; null when an error stopped the resolver. */
  data: unknown;
  errors: GraphQLErrorEntry[];
  unauthorized: boolean;
  subscriptionFilter?: unknown;
  subscriptionInvalidationFilter?: unknown;
  invalidations: SubscriptionInvalidation[];
  cacheEvictions: CacheEviction[];
  responseHeaders: Record<string, unknown>;
  logs: TaggedLog[];
  trace: TraceStep[];
}

/** Options of `executeResolver`. */
export interface ExecuteOptions extends EvaluateOptions, LoadOptions {}

/** The NONE data source: AppSync hands back the request's `payload`. */
export function noneDataSource(request: unknown): DataSourceResponse {
  const payload = typeof request === 'object' && request !== null ? (request as { payload?: unknown }).payload : undefined;
  return { result: payload ?? null };
}

function toEntry(error: ResolverError): GraphQLErrorEntry {
  return { message: error.message, errorType: error.type, data: error.data, errorInfo: error.errorInfo };
}

class Execution {
  readonly outcome: ResolverExecution = {
    data: null,
    errors: [],
    unauthorized: false,
    invalidations: [],
    cacheEvictions: [],
    responseHeaders: {},
    logs: [],
    trace: [],
  };

  constructor(
    private readonly invokeDataSource: InvokeDataSource,
    private readonly options: ExecuteOptions,
  ) {}

  load(code: ResolverCode, name: string): ResolverModule {
    return typeof code === 'string' ? loadResolverCode(code, name, this.options) : code;
  }

  /** Runs a handler and folds its side effects into the outcome; returns the result. */
  run(module: ResolverModule, source: string, handler: HandlerName, ctx: AppSyncContext): EvaluationResult {
    const bound = module[handler];
    if (!bound) throw new Error(`${source} does not export a ${handler} handler, which AppSync requires`);
    const result = bound(ctx, this.options);
    const outcome = this.outcome;
    outcome.errors.push(...result.appendedErrors.map(toEntry));
    outcome.logs.push(...result.logs.map((log) => ({ source, ...log })));
    outcome.invalidations.push(...result.invalidations);
    outcome.cacheEvictions.push(...result.cacheEvictions);
    Object.assign(outcome.responseHeaders, result.responseHeaders);
    if (result.subscriptionFilter !== undefined) outcome.subscriptionFilter = result.subscriptionFilter;
    if (result.subscriptionInvalidationFilter !== undefined) outcome.subscriptionInvalidationFilter = result.subscriptionInvalidationFilter;
    outcome.trace.push({ source, step: handler, outcome: result.error ? 'error' : result.earlyReturn ? 'earlyReturn' : 'value' });
    return result;
  }

  async callDataSource(source: string, dataSource: string, request: unknown, ctx: AppSyncContext): Promise<{ result?: unknown; error?: ContextError }> {
    let response: DataSourceResponse;
    try {
      response = await this.invokeDataSource(dataSource, request, ctx);
    } catch (error) {
      response = { error: { message: String((error as Error)?.message ?? error), type: String((error as Error)?.name ?? 'Error') } };
    }
    if ('error' in response) {
      this.outcome.trace.push({ source, step: 'dataSource', dataSource, request, outcome: 'dataSourceError' });
      return response.result === undefined ? { error: response.error } : { error: response.error, result: response.result };
    }
    this.outcome.trace.push({ source, step: 'dataSource', dataSource, request, outcome: 'value' });
    return { result: response.result };
  }

  /** Ends the resolver with an error: the field is null. */
  fail(result: EvaluationResult): ResolverExecution {
    if (result.error) this.outcome.errors.push(toEntry(result.error));
    if (result.unauthorized) this.outcome.unauthorized = true;
    this.outcome.data = null;
    return this.outcome;
  }

  finish(value: unknown): ResolverExecution {
    this.outcome.data = value ?? null;
    return this.outcome;
  }
}

async function runUnit(execution: Execution, definition: UnitResolverDefinition, ctx: AppSyncContext): Promise<ResolverExecution> {
  const name = definition.name ?? 'resolver';
  const module = execution.load(definition.code, name);
  const request = execution.run(module, name, 'request', ctx);
  if (request.error) return execution.fail(request);
  if (request.earlyReturn) return execution.finish(request.value);
  const answer = await execution.callDataSource(name, definition.dataSource, request.value, ctx);
  const response = execution.run(module, name, 'response', deriveContext(ctx, answer));
  if (response.error) return execution.fail(response);
  return execution.finish(response.value);
}

// AWS documents no default for a pipeline resolver without a before or after handler; a missing one
// behaves like the no-logic handlers of the AppSync guide: `return {}` and `return ctx.prev.result`.
const PASS_THROUGH_REQUEST: EvaluationResult = {
  value: {},
  appendedErrors: [],
  invalidations: [],
  cacheEvictions: [],
  responseHeaders: {},
  logs: [],
};

async function runPipeline(execution: Execution, definition: PipelineResolverDefinition, ctx: AppSyncContext): Promise<ResolverExecution> {
  const name = definition.name ?? 'resolver';
  const resolver = execution.load(definition.code, name);
  const functions = definition.functions.map((fn) => ({ ...fn, module: execution.load(fn.code, fn.name) }));

  const before = resolver.request ? execution.run(resolver, name, 'request', ctx) : PASS_THROUGH_REQUEST;
  if (before.error) return execution.fail(before);
  let prev = before.value;
  if (!before.earlyReturn) {
    for (const fn of functions) {
      const fnCtx = deriveContext(ctx, { prev });
      const request = execution.run(fn.module, fn.name, 'request', fnCtx);
      if (request.error) return execution.fail(request);
      prev = request.value;
      if (request.earlyReturn) {
        if (request.earlyReturn.skipTo === 'END') break;
        continue;
      }
      const answer = await execution.callDataSource(fn.name, fn.dataSource, request.value, fnCtx);
      const response = execution.run(fn.module, fn.name, 'response', deriveContext(fnCtx, answer));
      if (response.error) return execution.fail(response);
      prev = response.value;
      if (response.earlyReturn?.skipTo === 'END') break;
    }
  }
  if (!resolver.response) return execution.finish(prev);
  const after = execution.run(resolver, name, 'response', deriveContext(ctx, { prev }));
  if (after.error) return execution.fail(after);
  return execution.finish(after.value);
}

/** Runs a UNIT or PIPELINE resolver end to end against `ctx`; its stash is shared by every handler. */
export async function executeResolver(
  definition: ResolverDefinition,
  ctx: AppSyncContext,
  invokeDataSource: InvokeDataSource,
  options: ExecuteOptions = {},
): Promise<ResolverExecution> {
  const execution = new Execution(invokeDataSource, options);
  return definition.kind === 'UNIT' ? runUnit(execution, definition, ctx) : runPipeline(execution, definition, ctx);
}
