import {
  createContext,
  executeResolver,
  loadResolverCode,
  noneDataSource,
  type DataSourceResponse,
  type InvokeDataSource,
  type PipelineResolverDefinition,
} from '../../runtime/appsync';
import { bundleFixture } from './bundle';

const ORDERS: Record<string, unknown> = { 'o-1': { id: 'o-1', total: 42 } };

/** A fake DynamoDB data source: answers GetItem from ORDERS and records every request. */
function fakeDataSource(overrides: Record<string, DataSourceResponse> = {}) {
  const calls: { dataSource: string; request: unknown }[] = [];
  const invoke: InvokeDataSource = async (dataSource, request) => {
    calls.push({ dataSource, request });
    if (overrides[dataSource]) return overrides[dataSource];
    if (dataSource === 'NONE') return noneDataSource(request);
    const { key } = request as { key: { id: { S: string } } };
    return { result: ORDERS[key.id.S] ?? null };
  };
  return { invoke, calls };
}

describe('executeResolver with a UNIT resolver', () => {
  const code = bundleFixture('Query.getOrder.ts');
  const definition = { kind: 'UNIT', code, dataSource: 'OrdersTable', name: 'Query.getOrder' } as const;

  it('runs request, the data source and response', async () => {
    const source = fakeDataSource();

    const outcome = await executeResolver(definition, createContext({ arguments: { id: 'o-1' } }), source.invoke);

    expect(source.calls).toEqual([{ dataSource: 'OrdersTable', request: { operation: 'GetItem', key: { id: { S: 'o-1' } } } }]);
    expect(outcome.data).toEqual({ id: 'o-1', total: 42, fetchedBy: 'API Key Authorization' });
    expect(outcome.errors).toEqual([]);
    expect(outcome.logs).toEqual([{ source: 'Query.getOrder', level: 'log', message: 'fetching order' }]);
    expect(outcome.trace.map((step) => `${step.source}:${step.step}:${step.outcome}`)).toEqual([
      'Query.getOrder:request:value',
      'Query.getOrder:dataSource:value',
      'Query.getOrder:response:value',
    ]);
  });

  it('hands a data source error to the response handler as ctx.error', async () => {
    const source = fakeDataSource({ OrdersTable: { error: { message: 'Requested resource not found', type: 'DynamoDB:ResourceNotFoundException' } } });

    const outcome = await executeResolver(definition, createContext({ arguments: { id: 'o-1' } }), source.invoke);

    expect(outcome.data).toBeNull();
    expect(outcome.errors).toEqual([{ message: 'Requested resource not found', errorType: 'DynamoDB:ResourceNotFoundException', data: null, errorInfo: null }]);
  });

  it('returns data alongside an appended error', async () => {
    const outcome = await executeResolver(definition, createContext({ arguments: { id: 'o-404' } }), fakeDataSource().invoke);

    expect(outcome.data).toBeNull();
    expect(outcome.errors).toEqual([{ message: 'Query.getOrder: no order o-404', errorType: 'NotFound', data: null, errorInfo: null }]);
  });

  it('turns a thrown data source failure into ctx.error', async () => {
    const failing: InvokeDataSource = () => {
      throw new RangeError('socket closed');
    };

    const outcome = await executeResolver(definition, createContext({ arguments: { id: 'o-1' } }), failing);

    expect(outcome.errors).toEqual([{ message: 'socket closed', errorType: 'RangeError', data: null, errorInfo: null }]);
  });

  it('skips the data source and the response after an early return, and stops at util.error', async () => {
    const control = loadResolverCode(bundleFixture('Mutation.control.ts'), 'Mutation.control');
    const source = fakeDataSource();
    const unit = { kind: 'UNIT', code: control, dataSource: 'NONE' } as const;

    const early = await executeResolver(unit, createContext({ arguments: { mode: 'early' } }), source.invoke);
    const failed = await executeResolver(unit, createContext({ arguments: { mode: 'error', value: 0 } }), source.invoke);
    const none = await executeResolver(unit, createContext({ arguments: { mode: 'plain', value: 7 } }), source.invoke);

    expect(early.data).toEqual({ early: true });
    expect(failed.data).toBeNull();
    expect(failed.errors.map((error) => error.errorType)).toEqual(['Warning', 'ValidationError']);
    expect(none.data).toEqual({ mode: 'plain', value: 7 });
    expect(source.calls).toEqual([{ dataSource: 'NONE', request: { payload: { mode: 'plain', value: 7 } } }]);
  });
});

describe('executeResolver with a PIPELINE resolver', () => {
  const definition: PipelineResolverDefinition = {
    kind: 'PIPELINE',
    name: 'Query.getOrder',
    code: bundleFixture('pipeline/resolver.ts'),
    functions: [
      { name: 'checkAccess', code: bundleFixture('pipeline/checkAccess.ts'), dataSource: 'NONE' },
      { name: 'getOrder', code: bundleFixture('pipeline/getOrder.ts'), dataSource: 'OrdersTable' },
    ],
  };
  const ctxFor = (role?: string) => createContext({ arguments: { id: 'o-1', role } });

  it('feeds each result to the next step as ctx.prev.result and shares the stash', async () => {
    const source = fakeDataSource();
    const ctx = ctxFor('member');

    const outcome = await executeResolver(definition, ctx, source.invoke);

    expect(source.calls).toEqual([
      { dataSource: 'NONE', request: { payload: { allowed: true, from: { requestedId: 'o-1' } } } },
      { dataSource: 'OrdersTable', request: { operation: 'GetItem', key: { id: { S: 'o-1' } }, consistentRead: true } },
    ]);
    expect(outcome.data).toEqual({
      order: { id: 'o-1', total: 42, access: { allowed: true, from: { requestedId: 'o-1' } } },
      trail: ['before', 'checkAccess', 'getOrder', 'after'],
    });
    expect(ctx.stash.trail).toEqual(['before', 'checkAccess', 'getOrder', 'after']);
  });

  it('skips only the data source and response of a function that returns early', async () => {
    const source = fakeDataSource();

    const outcome = await executeResolver(definition, ctxFor('admin'), source.invoke);

    expect(source.calls.map((call) => call.dataSource)).toEqual(['OrdersTable']);
    expect(outcome.data).toEqual({
      order: { id: 'o-1', total: 42, access: { allowed: true, via: 'admin' } },
      trail: ['before', 'checkAccess', 'getOrder', 'after'],
    });
  });

  it('jumps to the resolver response on an early return with skipTo END', async () => {
    const source = fakeDataSource();

    const outcome = await executeResolver(definition, ctxFor('auditor'), source.invoke);

    expect(source.calls).toEqual([]);
    expect(outcome.data).toEqual({ order: { allowed: true, via: 'auditor' }, trail: ['before', 'checkAccess', 'after'] });
  });

  it('stops the whole pipeline at util.error', async () => {
    const source = fakeDataSource();

    const outcome = await executeResolver(definition, ctxFor(undefined), source.invoke);

    expect(source.calls).toEqual([]);
    expect(outcome.data).toBeNull();
    expect(outcome.errors).toEqual([{ message: 'Query.getOrder: a role is required', errorType: 'Forbidden', data: null, errorInfo: null }]);
    expect(outcome.trace.map((step) => `${step.source}:${step.step}`)).toEqual(['Query.getOrder:request', 'checkAccess:request']);
  });

  it('lets a function turn its data source error into a field error', async () => {
    const source = fakeDataSource({ OrdersTable: { error: { message: 'Throughput exceeded', type: 'DynamoDB:ProvisionedThroughputExceededException' } } });

    const outcome = await executeResolver(definition, ctxFor('member'), source.invoke);

    expect(outcome.data).toBeNull();
    expect(outcome.errors).toEqual([
      { message: 'Throughput exceeded', errorType: 'DynamoDB:ProvisionedThroughputExceededException', data: null, errorInfo: null },
    ]);
  });

  it('skips every function when the resolver request returns early', async () => {
    const before = 'import { runtime } from "@aws-appsync/utils"; export function request() { runtime.earlyReturn({ cached: true }); } export function response(ctx) { return ctx.prev.result; }';
    const source = fakeDataSource();

    const outcome = await executeResolver({ ...definition, code: before }, ctxFor('member'), source.invoke);

    expect(source.calls).toEqual([]);
    expect(outcome.data).toEqual({ cached: true });
  });

  it('requires both handlers of a function', async () => {
    const functions = [{ name: 'half', code: 'export function request() { return {}; }', dataSource: 'NONE' }];

    await expect(executeResolver({ ...definition, functions }, ctxFor('member'), fakeDataSource().invoke)).rejects.toThrow(
      'half does not export a response handler, which AppSync requires',
    );
  });
});
