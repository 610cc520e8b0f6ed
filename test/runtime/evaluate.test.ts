import { createContext, evaluate, loadResolverCode, type ResolverModule } from '../../runtime/appsync';
import { bundleFixture } from './bundle';

let control: ResolverModule;

beforeAll(() => {
  control = loadResolverCode(bundleFixture('Mutation.control.ts'), 'Mutation.control', { timeoutMs: 100 });
});

const run = (args: Record<string, unknown>, info = {}) => evaluate(control, 'request', createContext({ arguments: args, info }));

describe('evaluate', () => {
  it('returns the handler value through JSON, as AppSync passes it on', () => {
    const result = run({ mode: 'plain', value: 3 });

    expect(result.value).toStrictEqual({ payload: { mode: 'plain', value: 3 } });
    expect(result.error).toBeUndefined();
    expect(result.appendedErrors).toEqual([]);
  });

  it('aborts on util.error with its message, type, data and errorInfo, keeping earlier appended errors', () => {
    const result = run({ mode: 'error', value: -1 });

    expect(result.value).toBeNull();
    expect(result.error).toEqual({
      message: 'Mutation.control: value must be positive',
      type: 'ValidationError',
      data: { value: -1 },
      errorInfo: { rule: 'positive' },
    });
    expect(result.appendedErrors).toEqual([{ message: 'before the error', type: 'Warning', data: null, errorInfo: null }]);
  });

  it('keeps going after util.appendError', () => {
    const result = run({ mode: 'append', value: 2.6 });

    expect(result.value).toEqual({ payload: 3 });
    expect(result.error).toBeUndefined();
    expect(result.appendedErrors).toEqual([{ message: 'Mutation.control: value was rounded', type: 'Warning', data: null, errorInfo: null }]);
  });

  it('aborts on util.unauthorized with the AppSync message for the field', () => {
    const result = run({ mode: 'unauthorized' }, { fieldName: 'cancelOrder', parentTypeName: 'Mutation' });

    expect(result.unauthorized).toBe(true);
    expect(result.error).toEqual({ message: 'Not Authorized to access cancelOrder on type Mutation', type: 'Unauthorized', data: null, errorInfo: null });
  });

  it('stops at runtime.earlyReturn and returns its value', () => {
    const result = run({ mode: 'early' });

    expect(result.earlyReturn).toEqual({ value: { early: true } });
    expect(result.value).toEqual({ early: true });
  });

  it('does not carry errors from one invocation into the next', () => {
    run({ mode: 'error', value: -1 });

    const next = run({ mode: 'plain' });

    expect(next.error).toBeUndefined();
    expect(next.appendedErrors).toEqual([]);
  });

  it('maps a runaway loop to a timeout error', () => {
    const result = run({ mode: 'loop' });

    expect(result.error).toEqual({ message: 'Mutation.control.request ran longer than 100 ms', type: 'ExecutionTimeout', data: null, errorInfo: null });
  });

  it('maps an exception thrown by the code to a runtime error naming the handler', () => {
    const result = run({ mode: 'crash' });

    expect(result.error?.type).toBe('RuntimeError');
    expect(result.error?.message).toMatch(/^Mutation\.control\.request: TypeError: Cannot read properties of undefined/);
  });

  it('records subscription filters and invalidations', () => {
    const result = run({ mode: 'subscribe' });

    expect(result.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'status', operator: 'eq', value: 'OPEN' }] }] });
    expect(result.invalidations).toEqual([{ subscriptionField: 'onOrder', payload: { id: '1' } }]);
  });

  it('shares the stash object with the caller and aliases args to arguments', () => {
    const ctx = createContext({ args: { mode: 'plain' }, stash: { seen: ['earlier'] } });

    evaluate(control, 'request', ctx);

    expect(ctx.stash.seen).toEqual(['earlier', 'plain']);
    expect(ctx.arguments).toBe(ctx.args);
  });

  it('answers util.authType from the identity, or from the option', () => {
    const module = loadResolverCode('import { util } from "@aws-appsync/utils"; export function request() { return util.authType(); }', 'auth');
    const cognito = { sub: 'u-1', issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/pool', claims: {}, username: 'ann', sourceIp: [], groups: null, defaultAuthStrategy: 'ALLOW' };

    expect(evaluate(module, 'request', createContext()).value).toBe('API Key Authorization');
    expect(evaluate(module, 'request', createContext({ identity: cognito })).value).toBe('User Pool Authorization');
    expect(evaluate(module, 'request', createContext({ identity: { accountId: '1', userArn: 'arn' } })).value).toBe('IAM Authorization');
    expect(evaluate(module, 'request', createContext({ identity: { resolverContext: {} } })).value).toBe('Lambda Authorization');
    expect(evaluate(module, 'request', createContext(), { authType: 'Open ID Connect Authorization' }).value).toBe('Open ID Connect Authorization');
  });

  it('makes the imported util throw when used outside a handler call', () => {
    expect(() => loadResolverCode('import { util } from "@aws-appsync/utils"; util.appendError("at load");', 'eager')).toThrow(
      'eager: util.appendError can only be called while a request or response handler runs',
    );
  });
});

describe('createContext', () => {
  it('fills every field AppSync provides', () => {
    expect(createContext()).toEqual({
      arguments: {},
      args: {},
      identity: null,
      source: null,
      stash: {},
      prev: { result: null },
      info: { fieldName: 'field', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
      request: { headers: {}, domainName: null },
      env: {},
    });
  });

  it('merges a partial info and request over the defaults', () => {
    const ctx = createContext({ info: { fieldName: 'getOrder' }, request: { headers: { 'x-trace': '1' } } });

    expect(ctx.info).toMatchObject({ fieldName: 'getOrder', parentTypeName: 'Query' });
    expect(ctx.request).toEqual({ headers: { 'x-trace': '1' }, domainName: null });
  });
});
