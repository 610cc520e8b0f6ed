// Runs one handler of a loaded module against a context and reports what happened, the way
// AppSync's EvaluateCode does: the returned value, or the error that aborted the handler, plus
// everything `util`, `extensions` and `runtime` recorded on the way.
import vm from 'node:vm';
import { inferAuthType } from './context';
import type { LoadedModule, ResolverModule } from './loader';
import { HandlerAbort, InvocationState } from './state';
import type { AppSyncContext, AuthType, EvaluationResult, HandlerName, ResolverError } from './types';

/** Options of one handler evaluation. */
export interface EvaluateOptions {
  /**
   * What `util.authType()` answers.
   * @default inferred from `ctx.identity` (no identity: API key)
   */
  readonly authType?: AuthType;
}

/** The `errorType` of a handler that threw something other than `util.error`. */
export const RUNTIME_ERROR_TYPE = 'RuntimeError';
/** The `errorType` of a handler that ran past its time limit. */
export const TIMEOUT_ERROR_TYPE = 'ExecutionTimeout';

const INVOKE = new vm.Script('__appsyncRuntime_call.handler(__appsyncRuntime_call.ctx)', { filename: 'appsync-runtime-invoke' });

function runtimeError(message: string, type: string): ResolverError {
  return { message, type, data: null, errorInfo: null };
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const name = 'name' in error ? String(error.name) : 'Error';
    return `${name}: ${String(error.message)}`;
  }
  return String(error);
}

// AppSync passes a handler's result on as JSON, so functions, undefined members and the like vanish
function toJsonValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value));
}

/** Runs `handler` of a loaded module; the evaluation never throws for anything the resolver did. */
export function runHandler(loaded: LoadedModule, handler: HandlerName, ctx: AppSyncContext, options: EvaluateOptions = {}): EvaluationResult {
  const fn = loaded.handlers[handler];
  if (!fn) throw new Error(`${loaded.name} does not export a ${handler} handler`);
  const state = new InvocationState(ctx, options.authType ?? inferAuthType(ctx.identity));
  let returned: unknown;
  let failure: ResolverError | undefined;
  loaded.slot.with(state, () => {
    loaded.context.__appsyncRuntime_call = { handler: fn, ctx };
    try {
      returned = INVOKE.runInContext(loaded.context, { timeout: loaded.timeoutMs });
    } catch (error) {
      if (error instanceof HandlerAbort) return;
      if ((error as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        failure = runtimeError(`${loaded.name}.${handler} ran longer than ${loaded.timeoutMs} ms`, TIMEOUT_ERROR_TYPE);
      } else {
        failure = runtimeError(`${loaded.name}.${handler}: ${describe(error)}`, RUNTIME_ERROR_TYPE);
      }
    } finally {
      delete loaded.context.__appsyncRuntime_call;
    }
  });

  const result: EvaluationResult = {
    value: null,
    appendedErrors: state.appendedErrors,
    invalidations: state.invalidations,
    cacheEvictions: state.cacheEvictions,
    responseHeaders: state.responseHeaders,
    logs: state.logs,
  };
  if (state.subscriptionFilter !== undefined) result.subscriptionFilter = state.subscriptionFilter;
  if (state.subscriptionInvalidationFilter !== undefined) result.subscriptionInvalidationFilter = state.subscriptionInvalidationFilter;
  // util.error cannot be caught in AppSync, so once recorded it decides the outcome
  const error = state.error ?? failure;
  if (error) {
    result.error = error;
    if (state.unauthorized) result.unauthorized = true;
    return result;
  }
  try {
    if (state.earlyReturn) {
      result.earlyReturn = { ...state.earlyReturn, value: toJsonValue(state.earlyReturn.value) };
      result.value = result.earlyReturn.value;
    } else {
      result.value = toJsonValue(returned);
    }
  } catch (serialisation) {
    result.error = runtimeError(`${loaded.name}.${handler} returned a value that is not JSON: ${describe(serialisation)}`, RUNTIME_ERROR_TYPE);
    result.value = null;
  }
  return result;
}

/** Runs the `request` or `response` handler of a module against `ctx`. */
export function evaluate(module: ResolverModule, handler: HandlerName, ctx: AppSyncContext, options: EvaluateOptions = {}): EvaluationResult {
  const bound = module[handler];
  if (!bound) throw new Error(`${module.name} does not export a ${handler} handler`);
  return bound(ctx, options);
}
