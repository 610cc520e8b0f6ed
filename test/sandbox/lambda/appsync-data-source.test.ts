import type { AppSyncContext } from '../../../runtime/appsync';
import { lambdaDataSource } from '../../../sandbox/services/lambda/appsync-data-source';
import { LambdaServiceError, type InvokeOptions, type InvokeResult, type LambdaInvoker } from '../../../sandbox/services/lambda/contracts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:resolver';

/** An invoker that records calls and answers what the test set. */
function fakeInvoker(answer: (event: unknown) => InvokeResult | Error) {
  const calls: { target: string; event: unknown; options?: InvokeOptions }[] = [];
  const invoker: LambdaInvoker = {
    invoke: async (target, event, options) => {
      calls.push({ target, event, options });
      const result = answer(event);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { invoker, calls };
}

const ok = (payload: unknown): InvokeResult => ({ requestId: 'r', payload, logs: [] });
const ctx = {
  arguments: { id: 'o-1' },
  identity: { sub: 'user-1' },
  source: null,
  request: { headers: {} },
  info: { fieldName: 'getOrder', parentTypeName: 'Query' },
  prev: { result: null },
  stash: { seen: true },
} as unknown as AppSyncContext;

function handler(answer: (event: unknown) => InvokeResult | Error, config: Record<string, unknown> = { lambda_config: [{ function_arn: FUNCTION_ARN }] }) {
  const fake = fakeInvoker(answer);
  return { ...fake, call: lambdaDataSource(fake.invoker)({ name: 'resolver', type: 'AWS_LAMBDA', config }) };
}

describe('AppSync AWS_LAMBDA data source', () => {
  it('invokes the configured function with the payload, or the resolver context without one', async () => {
    const { call, calls } = handler((event) => ok({ got: event }));
    expect(await call({ operation: 'Invoke', payload: { id: 'o-1' } }, ctx)).toEqual({ result: { got: { id: 'o-1' } } });
    await call({ operation: 'Invoke' }, ctx);
    expect(calls.map(({ target, event, options }) => ({ target, event, options }))).toEqual([
      { target: FUNCTION_ARN, event: { id: 'o-1' }, options: { invocationType: 'RequestResponse' } },
      {
        target: FUNCTION_ARN,
        event: { arguments: { id: 'o-1' }, identity: { sub: 'user-1' }, source: null, request: { headers: {} }, info: ctx.info, prev: { result: null }, stash: { seen: true } },
        options: { invocationType: 'RequestResponse' },
      },
    ]);
  });

  it('answers null to an Event invocation', async () => {
    const { call, calls } = handler(() => ({ requestId: 'r', payload: undefined, logs: [] }));
    expect(await call({ operation: 'Invoke', invocationType: 'Event', payload: {} }, ctx)).toEqual({ result: null });
    expect(calls[0]?.options).toEqual({ invocationType: 'Event' });
  });

  it('expects a BatchInvoke function to answer one entry per request', async () => {
    expect(await handler(() => ok(['only'])).call({ operation: 'BatchInvoke', payload: 1 }, ctx)).toEqual({ result: 'only' });
    expect(await handler(() => ok({ not: 'a list' })).call({ operation: 'BatchInvoke', payload: 1 }, ctx)).toEqual({
      error: { message: `BatchInvoke: ${FUNCTION_ARN} must return a list with one result per request`, type: 'Lambda:Unhandled' },
    });
  });

  it('maps function errors to Lambda:Unhandled and API errors to Lambda:<exception>', async () => {
    const failed = handler(() => ({ requestId: 'r', payload: undefined, logs: [], error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds', trace: [] } }));
    expect(await failed.call({ operation: 'Invoke', payload: {} }, ctx)).toEqual({ error: { message: 'Task timed out after 3.00 seconds', type: 'Lambda:Unhandled' } });
    const throttled = handler(() => new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.'));
    expect(await throttled.call({ operation: 'Invoke', payload: {} }, ctx)).toEqual({ error: { message: 'Rate Exceeded.', type: 'Lambda:TooManyRequestsException' } });
  });

  it('refuses an unknown operation and a data source without a function', async () => {
    expect(await handler(() => ok(null)).call({ operation: 'GetItem' }, ctx)).toEqual({
      error: { message: 'Unsupported operation "GetItem": a Lambda data source takes Invoke or BatchInvoke', type: 'MappingTemplate' },
    });
    expect(() => handler(() => ok(null), {})).toThrow('AppSync data source resolver: lambda_config.function_arn is missing');
  });
});
