import { createContext, evaluate, loadResolverCode, MAX_CODE_LENGTH, ResolverLoadError } from '../../runtime/appsync';
import { bundleFixture } from './bundle';

describe('loadResolverCode', () => {
  it('runs a bundled TypeScript resolver with its external AppSync imports', () => {
    const module = loadResolverCode(bundleFixture('Query.getOrder.ts'), 'Query.getOrder');

    const result = evaluate(module, 'request', createContext({ arguments: { id: 'o-1' } }));

    expect(result.value).toEqual({ operation: 'GetItem', key: { id: { S: 'o-1' } } });
    expect(result.logs).toEqual([{ level: 'log', message: 'fetching order' }]);
    expect(result.error).toBeUndefined();
  });

  it('offers the JavaScript built-ins, console and util, and none of Node globals', () => {
    const module = loadResolverCode(bundleFixture('globals.ts'), 'globals');

    expect(evaluate(module, 'request', createContext()).value).toEqual({
      process: 'undefined',
      require: 'undefined',
      setTimeout: 'undefined',
      Buffer: 'undefined',
      WebAssembly: 'undefined',
      JSON: 'object',
      Math: 'object',
      util: 'object',
      console: 'object',
    });
  });

  it('clears the module wrapper so handlers cannot reach require', () => {
    const module = loadResolverCode('export function request() { return typeof require + "/" + typeof module + "/" + typeof exports; }', 'probe');

    expect(evaluate(module, 'request', createContext()).value).toBe('undefined/undefined/undefined');
  });

  it('refuses string code generation inside the context', () => {
    const module = loadResolverCode('export function request() { return eval("1 + 1"); }', 'evaluator');

    const result = evaluate(module, 'request', createContext());

    expect(result.error?.type).toBe('RuntimeError');
    expect(result.error?.message).toMatch(/^evaluator\.request: EvalError: Code generation from strings disallowed/);
  });

  it('names the module it cannot import', () => {
    const code = 'import { readFileSync } from "node:fs"; export function request() { return readFileSync; }';

    expect(() => loadResolverCode(code, 'Query.files')).toThrow(
      new ResolverLoadError(
        "Query.files: cannot import 'node:fs'; APPSYNC_JS code may only import @aws-appsync/utils and @aws-appsync/utils/dynamodb",
      ),
    );
  });

  it('rejects code over the AppSync size limit and code that does not parse', () => {
    expect(() => loadResolverCode(`// ${'x'.repeat(MAX_CODE_LENGTH)}`, 'big')).toThrow(
      `big: the code is ${MAX_CODE_LENGTH + 3} characters; AppSync accepts at most ${MAX_CODE_LENGTH}`,
    );
    expect(() => loadResolverCode('export function request( {', 'broken')).toThrow(/^broken: the code is not valid JavaScript/);
  });

  it('cuts off a module whose top level never finishes', () => {
    expect(() => loadResolverCode('let n = 0; while (n >= 0) { n += 1; }', 'spinner', { timeoutMs: 50 })).toThrow(
      'spinner: evaluating the module took longer than 50 ms',
    );
  });

  it('leaves out handlers the code does not export and keeps top-level logs apart', () => {
    const module = loadResolverCode('console.info("loaded", { v: 1 }); export function response(ctx) { return ctx.prev.result; }', 'after-only');

    expect(module.request).toBeUndefined();
    expect(typeof module.response).toBe('function');
    expect(module.loadLogs).toEqual([{ level: 'info', message: 'loaded {"v":1}' }]);
    expect(() => evaluate(module, 'request', createContext())).toThrow('after-only does not export a request handler');
  });

  it('evaluates the module once and keeps module state between invocations', () => {
    const module = loadResolverCode('let calls = 0; export function request() { calls += 1; return calls; }', 'counter');

    evaluate(module, 'request', createContext());

    expect(evaluate(module, 'request', createContext()).value).toBe(2);
  });
});
