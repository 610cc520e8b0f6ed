import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { NodeFunction, type NodeFunctionProps } from '../../../stacks/constructs/node-function';

/** Handlers the tests run, one per behaviour; each becomes `functions/<key>/handler.ts`. `fails` comes first: echo references it. */
const HANDLERS = {
  fails: `
class OrderNotFoundError extends Error {
  override name = 'OrderNotFoundError';
}

export const handler = async (event: { kind?: string }) => {
  if (event.kind === 'string') throw 'a plain string';
  if (event.kind === 'crash') {
    setTimeout(() => {
      throw new Error('crashed outside the handler');
    }, 0);
    return new Promise(() => undefined);
  }
  throw new OrderNotFoundError('order 42 not found');
};
`,
  echo: `
let invocations = 0;
const VARIABLES = [
  'TABLE_NAME', 'PEER_ARN', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_FORMAT', 'AWS_LAMBDA_LOG_LEVEL', '_HANDLER',
  'LAMBDA_TASK_ROOT', 'AWS_EXECUTION_ENV', 'TZ', 'NODE_OPTIONS', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'HOME',
];

export const handler = async (event: unknown, context: Record<string, unknown> & { getRemainingTimeInMillis(): number }) => {
  invocations += 1;
  console.log('echo invoked with', JSON.stringify(event));
  process.stdout.write(JSON.stringify({ level: 'WARN', message: 'raw line from a logger' }) + '\\n');
  if (Array.isArray(event)) return event.map((item) => ({ echoed: item }));
  return {
    event,
    invocations,
    env: Object.fromEntries(VARIABLES.map((name) => [name, process.env[name] ?? null])),
    logStream: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    traceId: process.env._X_AMZN_TRACE_ID,
    context: {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
      remaining: context.getRemainingTimeInMillis(),
    },
  };
};
`,
  sleeper: `
export const handler = async (event: { ms: number; busy?: boolean }) => {
  if (event.busy) {
    const end = Date.now() + event.ms;
    while (Date.now() < end);
  } else {
    await new Promise((resolve) => setTimeout(resolve, event.ms));
  }
  return { slept: event.ms };
};
`,
  hog: `
const kept: number[][] = [];

export const handler = async (event: { small?: boolean }) => {
  if (event.small) return { kept: kept.length };
  for (;;) kept.push(new Array(100000).fill(Math.random()));
};
`,
  callback: `
export const handler = (
  event: { fail?: boolean },
  context: { awsRequestId: string },
  callback: (error: Error | null, result?: unknown) => void,
) => {
  setTimeout(() => (event.fail ? callback(new Error('callback failure')) : callback(null, { via: 'callback', requestId: context.awsRequestId })), 10);
};
`,
};

export type FixtureFunction = keyof typeof HANDLERS;

/** A synthesized app with one NodeFunction per handler above, in a temp folder. */
export interface LambdaFixture {
  readonly root: string;
  readonly outdir: string;
  /** Function name of each handler. */
  readonly names: Readonly<Record<FixtureFunction, string>>;
  /** Removes the temp folder and the bundles. */
  cleanup(): void;
}

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';

/** Per-function settings that make each behaviour testable quickly. */
const SETTINGS: Record<FixtureFunction, Partial<NodeFunctionProps>> = {
  fails: {},
  echo: { timeoutSeconds: 5 },
  sleeper: { timeoutSeconds: 1, reservedConcurrency: 1 },
  hog: { memoryMb: 128 },
  callback: {},
};

export function synthLambdaFixture(prefix: string): LambdaFixture {
  const root = mkdtempSync(join(tmpdir(), 'sandbox-lambda-'));
  const outdir = join(root, 'cdktf.out');
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'functions');
  new AwsProvider(stack, 'aws', { region: REGION, allowedAccountIds: [ACCOUNT] });
  const names = {} as Record<FixtureFunction, string>;
  const functions = {} as Record<FixtureFunction, NodeFunction>;
  for (const [key, source] of Object.entries(HANDLERS) as [FixtureFunction, string][]) {
    mkdirSync(join(root, 'functions', key), { recursive: true });
    writeFileSync(join(root, 'functions', key, 'handler.ts'), source);
    names[key] = `${prefix}-${key}`;
    functions[key] = new NodeFunction(stack, key, {
      name: names[key],
      entry: join(root, 'functions', key, 'handler.ts'),
      security: { kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/test`, logRetentionDays: 7, deletionProtection: false },
      accountId: ACCOUNT,
      region: REGION,
      // PEER_ARN is a reference the platform model resolves through the Lambda service's attributes.
      environment: key === 'echo' ? { TABLE_NAME: 'orders', PEER_ARN: functions.fails.arn } : undefined,
      ...SETTINGS[key],
    });
  }
  app.synth();
  return {
    root,
    outdir,
    names,
    cleanup: () => {
      rmSync(root, { recursive: true, force: true });
      for (const name of Object.values(names)) rmSync(join('.build', 'functions', name), { recursive: true, force: true });
    },
  };
}
