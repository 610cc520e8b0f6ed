import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../sandbox/core/logger';
import type { FunctionDefinition } from '../../../sandbox/services/lambda/function-config';
import { FunctionPool } from '../../../sandbox/services/lambda/function-pool';

/** A task root of plain JavaScript files, as an extracted package would be. */
const taskRoot = mkdtempSync(join(tmpdir(), 'lambda-pool-'));
writeFileSync(join(taskRoot, 'package.json'), '{}\n');
const FILES: Record<string, string> = {
  'index.js': `
let count = 0;
exports.handler = async (event) => {
  count += 1;
  console.log('plain text', count);
  console.debug('debug detail');
  if (event.exit) process.exit(3);
  if (event.reject) {
    Promise.reject(new TypeError('nobody waits for this'));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (event.wait) await new Promise((resolve) => setTimeout(resolve, event.wait));
  return { count };
};
exports.nested = { deeper: async () => 'nested export' };
`,
  'esm.mjs': `export const handler = async () => 'from ESM';\n`,
  'broken.js': `exports.handler = async () => {;\n`,
  'init-fails.js': `throw new Error('cannot read configuration');\n`,
};
for (const [file, source] of Object.entries(FILES)) writeFileSync(join(taskRoot, file), source);

const pools: FunctionPool[] = [];
const lines: string[] = [];

function pool(handler: string, overrides: Partial<FunctionDefinition> = {}, maxEnvironments = 4): FunctionPool {
  const fn: FunctionDefinition = {
    name: 'pool-test',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:pool-test',
    resourceId: 'test:aws_lambda_function.pool',
    runtime: 'nodejs22.x',
    handler,
    zipFile: 'unused.zip',
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: {},
    logGroupName: '/aws/lambda/pool-test',
    logFormat: 'Text',
    tracing: 'PassThrough',
    ...overrides,
  };
  const created = new FunctionPool(fn, {
    taskRoot,
    maxEnvironments,
    region: 'us-east-1',
    awsEnvironment: () => ({}),
    logger: createLogger('lambda:pool-test', ({ message }) => lines.push(message)),
  });
  pools.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(pools.map((created) => created.stop()));
  rmSync(taskRoot, { recursive: true, force: true });
});

describe('FunctionPool: loading handlers like the Node.js runtime', () => {
  it('resolves nested exports and ESM modules', async () => {
    expect((await pool('index.nested.deeper').invoke({}, 'RequestResponse')).payload).toBe('nested export');
    expect((await pool('esm.handler').invoke({}, 'RequestResponse')).payload).toBe('from ESM');
  });

  it('reports the runtime errors for a missing module, a missing export and bad syntax', async () => {
    expect((await pool('nowhere.handler').invoke({}, 'RequestResponse')).error).toEqual({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'nowhere'",
      trace: [],
    });
    expect((await pool('index.missing').invoke({}, 'RequestResponse')).error).toEqual({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.missing is undefined or not exported',
      trace: [],
    });
    expect((await pool('broken.handler').invoke({}, 'RequestResponse')).error?.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect((await pool('nohandlerdot').invoke({}, 'RequestResponse')).error).toEqual({ errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler', trace: [] });
  });

  it('fails every invocation while the init throws, retrying the init each time', async () => {
    const failing = pool('init-fails.handler');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await failing.invoke({}, 'RequestResponse')).error).toMatchObject({ errorType: 'Error', errorMessage: 'cannot read configuration' });
    }
  });
});

describe('FunctionPool: runtime behaviour', () => {
  it('formats console calls as Lambda text logs and drops levels below the JSON log level', async () => {
    const text = await pool('index.handler').invoke({}, 'RequestResponse');
    expect(text.logs).toHaveLength(2);
    expect(text.logs[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${text.requestId}\\tINFO\\tplain text 1$`));
    expect(text.logs[1]).toContain('\tDEBUG\tdebug detail');
    const json = await pool('index.handler', { logFormat: 'JSON', logLevel: 'INFO' }).invoke({}, 'RequestResponse');
    expect(json.logs.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['plain text 1']);
  });

  it('reports process.exit and unhandled rejections as runtime exits, then starts a fresh environment', async () => {
    const exiting = pool('index.handler');
    const exited = await exiting.invoke({ exit: true }, 'RequestResponse');
    expect(exited.error).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${exited.requestId} Error: Runtime exited with error: exit status 3`, trace: [] });
    const rejected = await exiting.invoke({ reject: true }, 'RequestResponse');
    expect(rejected.error).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'TypeError: nobody waits for this' });
    expect((await exiting.invoke({}, 'RequestResponse')).payload).toEqual({ count: 1 });
  });

  it('queues invocations past the environment cap of an unreserved function', async () => {
    const capped = pool('index.handler', {}, 1);
    const results = await Promise.all([capped.invoke({ wait: 50 }, 'RequestResponse'), capped.invoke({ wait: 50 }, 'RequestResponse')]);
    expect(results.map((result) => result.payload)).toEqual([{ count: 1 }, { count: 2 }]);
    expect(capped.size).toBe(1);
  });

  it('fails what is in flight or queued when stopped', async () => {
    const stopping = pool('index.handler', {}, 1);
    const running = stopping.invoke({ wait: 5000 }, 'RequestResponse');
    const queued = stopping.invoke({}, 'RequestResponse');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stopping.stop();
    expect((await running).error?.errorType).toBe('Runtime.ExitError');
    expect((await queued).error?.errorType).toBe('Runtime.ExitError');
    await expect(stopping.invoke({}, 'RequestResponse')).rejects.toThrow('Function pool-test is stopped');
  });
});
