// Loads a bundled APPSYNC_JS resolver (an ES module importing only `@aws-appsync/utils` and
// `@aws-appsync/utils/dynamodb`) into its own `node:vm` context. The context has the ECMAScript
// built-ins plus `console`, `util`, `extensions` and `runtime`, and none of Node's globals.
// `node:vm` keeps accidental use of Node APIs out; it is not a boundary against hostile code.
import { transformSync } from 'esbuild';
import vm from 'node:vm';
import * as dynamodbHelpers from './dynamodb-helpers';
import { runHandler, type EvaluateOptions } from './evaluate';
import { createExtensions, createRuntime } from './extensions';
import { StateSlot } from './state';
import type { AppSyncContext, EvaluationResult, HandlerName, LogEntry } from './types';
import { createUtil } from './util';

/** AppSync rejects resolver and function code longer than this. */
export const MAX_CODE_LENGTH = 32_768;

/** The default limit on one module evaluation or handler call, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 1_000;

/** Why a resolver's code could not be loaded. */
export class ResolverLoadError extends Error {
  override name = 'ResolverLoadError';
}

/** Options of `loadResolverCode`. */
export interface LoadOptions {
  /**
   * Wall-clock limit for evaluating the module and for each handler call. AppSync bounds a whole
   * request to 30 s and does not publish a per-handler limit, so a runaway loop is cut off here.
   * @default 1000
   */
  readonly timeoutMs?: number;
}

/** A handler bound to its module: runs it once against a context. */
export type BoundHandler = (ctx: AppSyncContext, options?: EvaluateOptions) => EvaluationResult;

/** A loaded resolver or function; a handler the code does not export is absent. */
export interface ResolverModule {
  /** The name given at load time, used to tag errors and logs. */
  readonly name: string;
  readonly request?: BoundHandler;
  readonly response?: BoundHandler;
  /** What `console` received while the module itself was evaluated. */
  readonly loadLogs: readonly LogEntry[];
}

/** What the evaluator needs of a loaded module. */
export interface LoadedModule {
  readonly name: string;
  readonly slot: StateSlot;
  readonly context: vm.Context;
  readonly timeoutMs: number;
  readonly handlers: Partial<Record<HandlerName, unknown>>;
}

// Globals a fresh vm context still has that APPSYNC_JS does not offer.
const REMOVED_GLOBALS = ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry', 'WeakRef'];

function format(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      try {
        return JSON.stringify(arg) ?? String(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ');
}

function createConsole(slot: StateSlot, loadLogs: LogEntry[]) {
  const write = (level: LogEntry['level']) => (...args: unknown[]) => {
    (slot.peek()?.logs ?? loadLogs).push({ level, message: format(args) });
  };
  return { log: write('log'), info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') };
}

function toCommonJs(code: string, name: string): string {
  try {
    return transformSync(code, { format: 'cjs', loader: 'js', sourcefile: name, logLevel: 'silent' }).code;
  } catch (error) {
    throw new ResolverLoadError(`${name}: the code is not valid JavaScript: ${(error as Error).message}`);
  }
}

/** Evaluates resolver code once in a fresh context and returns its handlers. */
export function loadResolverCode(code: string, name: string, options: LoadOptions = {}): ResolverModule {
  if (code.length > MAX_CODE_LENGTH) {
    throw new ResolverLoadError(`${name}: the code is ${code.length} characters; AppSync accepts at most ${MAX_CODE_LENGTH}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const slot = new StateSlot();
  const loadLogs: LogEntry[] = [];
  const util = createUtil(slot);
  const extensions = createExtensions(slot);
  const runtime = createRuntime(slot);
  const modules: Record<string, unknown> = {
    '@aws-appsync/utils': { util, extensions, runtime },
    '@aws-appsync/utils/dynamodb': { ...dynamodbHelpers },
  };
  const requireModule = (id: string): unknown => {
    if (Object.hasOwn(modules, id)) return modules[id];
    throw new ResolverLoadError(`${name}: cannot import '${id}'; APPSYNC_JS code may only import @aws-appsync/utils and @aws-appsync/utils/dynamodb`);
  };
  const module = { exports: {} as Record<string, unknown> };
  const context = vm.createContext(
    { console: createConsole(slot, loadLogs), util, extensions, runtime, __appsyncRuntime_load: { module, require: requireModule } },
    { name: `appsync:${name}`, codeGeneration: { strings: false, wasm: false } },
  );
  vm.runInContext(REMOVED_GLOBALS.map((global) => `delete globalThis.${global};`).join(''), context);

  // `require`, `module` and `exports` are cleared once the module is evaluated, so handlers see none of them
  const wrapped = `(function (exports, require, module) {\n${toCommonJs(code, name)}\n;require = undefined; exports = undefined; module = undefined;\n})(__appsyncRuntime_load.module.exports, __appsyncRuntime_load.require, __appsyncRuntime_load.module);`;
  try {
    new vm.Script(wrapped, { filename: name }).runInContext(context, { timeout: timeoutMs });
  } catch (error) {
    if (error instanceof ResolverLoadError) throw error;
    const reason = (error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? `evaluating the module took longer than ${timeoutMs} ms` : String((error as Error)?.message ?? error);
    throw new ResolverLoadError(`${name}: ${reason}`);
  } finally {
    vm.runInContext('delete globalThis.__appsyncRuntime_load;', context);
  }

  const handlers: Partial<Record<HandlerName, unknown>> = {};
  for (const handler of ['request', 'response'] as const) {
    const exported = module.exports[handler];
    if (exported === undefined) continue;
    if (typeof exported !== 'function') throw new ResolverLoadError(`${name}: the exported '${handler}' is not a function`);
    handlers[handler] = exported;
  }
  const loaded: LoadedModule = { name, slot, context, timeoutMs, handlers };
  const bind = (handler: HandlerName): BoundHandler | undefined =>
    handlers[handler] ? (ctx, evaluateOptions) => runHandler(loaded, handler, ctx, evaluateOptions) : undefined;
  return { name, request: bind('request'), response: bind('response'), loadLogs };
}
