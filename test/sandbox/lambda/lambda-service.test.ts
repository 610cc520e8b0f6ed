import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppSyncContext } from '../../../runtime/appsync';
import type { LogSink } from '../../../sandbox/core/logger';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { dataSourceCapability, type DataSourceFactory } from '../../../sandbox/services/appsync/data-source';
import { AWS_ENVIRONMENT, LAMBDA_INVOKER, lambdaService, type LambdaInvoker } from '../../../sandbox/services/lambda';
import { ACCOUNT, REGION, synthLambdaFixture } from './fixture';

const fixture = synthLambdaFixture('sbx-lambda');
const { names } = fixture;
const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

const lines: { level: string; text: string }[] = [];
const sink: LogSink = ({ level, component, message }) => lines.push({ level, text: `[${component}] ${message}` });
const model = new PlatformModel(fixture.outdir);
const sandbox = new Sandbox({ model, services: [lambdaService()], dataRoot: join(fixture.root, 'data'), sink });
let invoker: LambdaInvoker;

/** The echo function's answer. */
interface Echo {
  event: unknown;
  invocations: number;
  env: Record<string, string | null>;
  logStream: string;
  traceId: string;
  context: Record<string, unknown>;
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) await new Promise((done) => setTimeout(done, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  // What a service emulating other AWS APIs would publish; read when an environment starts.
  sandbox.registry.provide(AWS_ENVIRONMENT, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ACCESS_KEY_ID: 'local-key' });
  await sandbox.start();
  invoker = sandbox.registry.require<LambdaInvoker>(LAMBDA_INVOKER);
});

afterAll(async () => {
  await sandbox.stop();
  fixture.cleanup();
});

describe('lambda service: platform model', () => {
  it('computes the after-apply attributes of aws_lambda_function', () => {
    const echo = model.resources('aws_lambda_function').find((resource) => resource.raw.function_name === names.echo);
    if (!echo) throw new Error('no echo function');
    expect(['arn', 'qualified_arn', 'invoke_arn', 'version', 'function_name'].map((attribute) => model.attribute(echo, attribute))).toEqual([
      arn(names.echo),
      `${arn(names.echo)}:$LATEST`,
      `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn(names.echo)}/invocations`,
      '$LATEST',
      names.echo,
    ]);
  });

  it('extracts each asset zip into its data folder and lists the functions', () => {
    expect(existsSync(join(fixture.root, 'data', 'lambda', names.echo, 'index.js'))).toBe(true);
    expect(existsSync(join(fixture.root, 'data', 'lambda', names.echo, 'index.js.map'))).toBe(true);
    expect(sandbox.describe()).toContain(`lambda: ${names.echo} (nodejs22.x, index.handler, 256 MB, 5 s) ${arn(names.echo)}`);
    expect(sandbox.coverage().find((line) => line.type === 'aws_lambda_function')).toEqual({ type: 'aws_lambda_function', count: 5, status: 'runs', detail: 'lambda' });
  });
});

describe('lambda service: invocations', () => {
  it('runs the handler with the event, the Lambda environment and a Lambda context', async () => {
    const result = await invoker.invoke(names.echo, { orderId: 'o-1' });
    expect(result.error).toBeUndefined();
    const echo = result.payload as Echo;
    expect(echo.event).toEqual({ orderId: 'o-1' });
    expect(echo.env).toEqual({
      TABLE_NAME: 'orders',
      PEER_ARN: arn(names.fails),
      AWS_LAMBDA_FUNCTION_NAME: names.echo,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${names.echo}`,
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: 'INFO',
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: resolve(fixture.root, 'data', 'lambda', names.echo),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      TZ: ':UTC',
      NODE_OPTIONS: '--enable-source-maps',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'local-key',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      HOME: null,
    });
    expect(echo.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(echo.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(echo.context).toEqual({
      functionName: names.echo,
      functionVersion: '$LATEST',
      invokedFunctionArn: arn(names.echo),
      memoryLimitInMB: '256',
      awsRequestId: result.requestId,
      logGroupName: `/aws/lambda/${names.echo}`,
      logStreamName: echo.logStream,
      callbackWaitsForEmptyEventLoop: true,
      remaining: expect.any(Number),
    });
    expect(echo.context.remaining).toBeGreaterThan(4000);
    expect(echo.context.remaining).toBeLessThanOrEqual(5000);
  });

  it('captures console output as Lambda formats it and logs every line tagged with the function', async () => {
    const result = await invoker.invoke(names.echo, { marker: 'log-check' });
    const consoleLine = JSON.parse(result.logs[0] as string) as Record<string, unknown>;
    expect(consoleLine).toEqual({ timestamp: expect.any(String), level: 'INFO', requestId: result.requestId, message: 'echo invoked with {"marker":"log-check"}' });
    expect(result.logs[1]).toBe('{"level":"WARN","message":"raw line from a logger"}');
    expect(lines).toContainEqual({ level: 'info', text: `[lambda:${names.echo}] ${result.logs[0]}` });
    expect(lines).toContainEqual({ level: 'warn', text: `[lambda:${names.echo}] {"level":"WARN","message":"raw line from a logger"}` });
    expect(lines.some(({ text }) => text.startsWith(`[lambda:${names.echo}] REPORT RequestId: ${result.requestId}\tDuration: `))).toBe(true);
  });

  it('keeps environments warm: module state survives, a second concurrent invocation cold-starts another', async () => {
    const first = (await invoker.invoke(names.echo, {})).payload as Echo;
    const second = (await invoker.invoke(names.echo, {})).payload as Echo;
    expect(second.invocations).toBe(first.invocations + 1);
    expect(second.logStream).toBe(first.logStream);
    const both = (await Promise.all([invoker.invoke(names.echo, {}), invoker.invoke(names.echo, {})])).map((result) => result.payload as Echo);
    expect(both.map((echo) => echo.invocations)).toEqual([second.invocations + 1, 1]);
    expect(both[1]?.logStream).not.toBe(first.logStream);
  });

  it('accepts the function ARN, qualified with $LATEST or not, and refuses unknown functions', async () => {
    expect((await invoker.invoke(arn(names.callback), {})).error).toBeUndefined();
    expect((await invoker.invoke(`${arn(names.callback)}:$LATEST`, {})).error).toBeUndefined();
    await expect(invoker.invoke('missing', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Function not found: missing' });
    await expect(invoker.invoke(`${arn(names.callback)}:live`, {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers an Event invocation at once and runs it in the background', async () => {
    const result = await invoker.invoke(names.echo, { marker: 'async-run' }, { invocationType: 'Event' });
    expect(result).toEqual({ requestId: expect.any(String), payload: undefined, logs: [] });
    await waitFor(() => lines.some(({ text }) => text.includes('echo invoked with {\\"marker\\":\\"async-run\\"}')), 'the async invocation');
  });

  it('supports callback-style handlers', async () => {
    const ok = await invoker.invoke(names.callback, {});
    expect(ok.payload).toEqual({ via: 'callback', requestId: ok.requestId });
    const failed = await invoker.invoke(names.callback, { fail: true });
    expect(failed.error).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
  });
});

describe('lambda service: failures', () => {
  it('maps a thrown error to errorType/errorMessage/trace, with the trace in the TypeScript source', async () => {
    const result = await invoker.invoke(names.fails, {});
    expect(result.payload).toBeUndefined();
    expect(result.error).toEqual({ errorType: 'OrderNotFoundError', errorMessage: 'order 42 not found', trace: expect.any(Array) });
    expect(result.error?.trace[0]).toBe('OrderNotFoundError: order 42 not found');
    expect(result.error?.trace.some((line) => /functions\/fails\/handler\.ts:\d+:\d+/.test(line))).toBe(true);
    expect(result.logs).toEqual(['Invoke Error {"errorType":"OrderNotFoundError","errorMessage":"order 42 not found"}']);
    expect(lines).toContainEqual({ level: 'error', text: `[lambda:${names.fails}] ${result.logs[0]}` });
  });

  it('reports a thrown non-Error by its type, as the Node.js runtime does', async () => {
    expect((await invoker.invoke(names.fails, { kind: 'string' })).error).toEqual({ errorType: 'string', errorMessage: 'a plain string', trace: [] });
  });

  it('fails the invocation on an uncaught exception and replaces the environment', async () => {
    const crashed = await invoker.invoke(names.fails, { kind: 'crash' });
    expect(crashed.error).toMatchObject({ errorType: 'Error', errorMessage: 'crashed outside the handler' });
    expect((await invoker.invoke(names.fails, {})).error?.errorType).toBe('OrderNotFoundError');
  });

  it('times out like Lambda, recycles the environment, and the next invocation works', async () => {
    const started = Date.now();
    const slow = await invoker.invoke(names.sleeper, { ms: 3000 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(slow.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${slow.requestId} Error: Task timed out after 1.00 seconds`,
      trace: [],
    });
    expect((await invoker.invoke(names.sleeper, { ms: 10 })).payload).toEqual({ slept: 10 });
  });

  it('stops a busy loop at the timeout too', async () => {
    const busy = await invoker.invoke(names.sleeper, { ms: 5000, busy: true });
    expect(busy.error?.errorMessage).toContain('Task timed out after 1.00 seconds');
    expect((await invoker.invoke(names.sleeper, { ms: 10 })).payload).toEqual({ slept: 10 });
  });

  it('throttles a synchronous invocation past the reserved concurrency', async () => {
    const first = invoker.invoke(names.sleeper, { ms: 200 });
    await expect(invoker.invoke(names.sleeper, { ms: 10 })).rejects.toMatchObject({ name: 'TooManyRequestsException', message: 'Rate Exceeded.' });
    expect((await first).payload).toEqual({ slept: 200 });
  });

  it('kills an environment that outgrows the memory size, as Lambda does', async () => {
    const hog = await invoker.invoke(names.hog, {});
    expect(hog.error).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${hog.requestId} Error: Runtime exited with error: signal: killed`,
      trace: [],
    });
    expect((await invoker.invoke(names.hog, { small: true })).payload).toEqual({ kept: 0 });
  });
});

describe('lambda service: AppSync AWS_LAMBDA data source', () => {
  const ctx = { arguments: { id: 'o-1' }, stash: {} } as unknown as AppSyncContext;
  const dataSource = (functionName: string) =>
    sandbox.registry.require<DataSourceFactory>(dataSourceCapability('AWS_LAMBDA'))({
      name: 'orders',
      type: 'AWS_LAMBDA',
      config: { lambda_config: { function_arn: arn(functionName) } },
    });

  it('Invoke sends the payload and answers the return value', async () => {
    const response = await dataSource(names.echo)({ operation: 'Invoke', payload: { field: 'getOrder', arguments: { id: 'o-1' } } }, ctx);
    expect((response as { result: Echo }).result.event).toEqual({ field: 'getOrder', arguments: { id: 'o-1' } });
  });

  it('BatchInvoke sends a list and answers this request its entry', async () => {
    expect(await dataSource(names.echo)({ operation: 'BatchInvoke', payload: { id: 'o-1' } }, ctx)).toEqual({ result: { echoed: { id: 'o-1' } } });
  });

  it('turns a function error into ctx.error of type Lambda:Unhandled', async () => {
    expect(await dataSource(names.fails)({ operation: 'Invoke', payload: {} }, ctx)).toEqual({
      error: { message: 'order 42 not found', type: 'Lambda:Unhandled' },
    });
  });
});
