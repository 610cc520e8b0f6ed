import { rmSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SandboxContext, SandboxService } from '../../core/service';
import { dataSourceCapability } from '../appsync/data-source';
import { lambdaDataSource } from './appsync-data-source';
import { AWS_ENVIRONMENT, LAMBDA_INVOKER, LambdaServiceError, type InvokeOptions, type InvokeResult, type LambdaInvoker } from './contracts';
import { lambdaFunctionAttributes, readFunction } from './function-config';
import { FunctionPool } from './function-pool';
import { extractZip } from './zip';

export * from './contracts';

/** Options of {@link lambdaService}. */
export interface LambdaServiceOptions {
  /** Execution environments an unreserved function may have at once; more invocations wait. @default 4 */
  readonly maxEnvironmentsPerFunction?: number;
}

/**
 * Runs the platform's `aws_lambda_function`s (Node.js, zip packages) in worker threads: the asset zip is
 * extracted into the service's data folder, each function keeps warm execution environments between
 * invocations, and its console output is logged as `[lambda:<name>]`. Publishes `lambda.invoker` and the
 * AppSync AWS_LAMBDA data source.
 *
 * Where it departs from AWS Lambda:
 * - Node.js is the sandbox's (20 or later), not nodejs22.x's; the bundles target node20 for that reason.
 * - Memory caps the V8 old generation only (buffers and code live outside it); CPU does not scale with it.
 * - Worker threads share the process: `TZ=:UTC` is set but dates use the sandbox's zone (run it with TZ=UTC),
 *   the working directory is the sandbox's rather than the task root (read files from `LAMBDA_TASK_ROOT` or
 *   `__dirname`), and NODE_OPTIONS is ignored except `--enable-source-maps`.
 * - A response is returned as soon as the handler settles; `callbackWaitsForEmptyEventLoop` is not honoured
 *   and timers left running keep running in the warm environment instead of being frozen.
 * - Init runs inside the first invocation's timeout rather than its own 10 s; no provisioned concurrency,
 *   versions, aliases, layers or SnapStart.
 * - `Event` invocations run once: no retries, no DLQ or destinations; failures are logged.
 * - No payload size limits; an X-Ray trace header is set but never sampled.
 */
export function lambdaService(options: LambdaServiceOptions = {}): SandboxService {
  const pools = new Map<string, FunctionPool>();

  const invoker: LambdaInvoker = {
    invoke(functionNameOrArn: string, event: unknown, invokeOptions: InvokeOptions = {}): Promise<InvokeResult> {
      const pool = pools.get(functionName(functionNameOrArn));
      if (!pool) {
        return Promise.reject(new LambdaServiceError('ResourceNotFoundException', `Function not found: ${functionNameOrArn}`));
      }
      return pool.invoke(event, invokeOptions.invocationType ?? 'RequestResponse');
    },
  };

  return {
    name: 'lambda',
    runs: ['aws_lambda_function'],
    attributes: { aws_lambda_function: lambdaFunctionAttributes },

    async start(context: SandboxContext): Promise<void> {
      const dataDir = resolve(context.dataDir('lambda'));
      for (const resource of context.model.resources('aws_lambda_function')) {
        const fn = readFunction(context.model, resource);
        const taskRoot = join(dataDir, fn.name);
        rmSync(taskRoot, { recursive: true, force: true });
        extractZip(fn.zipFile, taskRoot);
        // Lambda's task root is the top of the tree: no package.json above it decides how `.js` loads.
        if (!existsSync(join(taskRoot, 'package.json'))) writeFileSync(join(taskRoot, 'package.json'), '{}\n');
        pools.set(
          fn.name,
          new FunctionPool(fn, {
            taskRoot,
            maxEnvironments: options.maxEnvironmentsPerFunction ?? 4,
            region: context.model.region,
            awsEnvironment: () => context.registry.find<Record<string, string>>(AWS_ENVIRONMENT) ?? {},
            logger: context.logger(`lambda:${fn.name}`),
          }),
        );
      }
      context.registry.provide(LAMBDA_INVOKER, invoker);
      context.registry.provide(dataSourceCapability('AWS_LAMBDA'), lambdaDataSource(invoker));
    },

    async stop(): Promise<void> {
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
    },

    describe(): readonly string[] {
      return [...pools.values()].map(
        ({ fn }) => `lambda: ${fn.name} (${fn.runtime}, ${fn.handler}, ${fn.memoryMb} MB, ${fn.timeoutSeconds} s) ${fn.arn}`,
      );
    },
  };
}

/** The function name in a name, an ARN or a `$LATEST`-qualified ARN; other qualifiers name nothing the sandbox has. */
function functionName(nameOrArn: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::(.+))?$/.exec(nameOrArn);
  if (!match) return nameOrArn;
  return match[2] === undefined || match[2] === '$LATEST' ? (match[1] as string) : `${match[1]}:${match[2]}`;
}
