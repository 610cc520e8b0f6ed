import { rmSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SandboxContext, SandboxService } from '../../core/service';
import { dataSourceCapability } from '../appsync/data-source';
import { lambdaDataSource } from './appsync-data-source';
import { AsyncInvocations } from './async-invocations';
import { AWS_ENVIRONMENT, LAMBDA_INVOKER, LambdaServiceError, type InvokeOptions, type InvokeResult, type LambdaInvoker } from './contracts';
import { sendRecord } from './destinations';
import { DEFAULT_ASYNC_CONFIG, eventInvokeConfigAttributes, readEventInvokeConfigs, type AsyncInvokeConfig } from './event-invoke-config';
import { functionNameOf, lambdaFunctionAttributes, readFunction } from './function-config';
import { FunctionPool } from './function-pool';
import { extractZip } from './zip';

export * from './contracts';

/** Options of {@link lambdaService}. */
export interface LambdaServiceOptions {
  /** Execution environments an unreserved function may have at once; more invocations wait. @default 4 */
  readonly maxEnvironmentsPerFunction?: number;
  /**
   * Factor applied to the clock of asynchronous invocations: Lambda's retry delays (1 then 2 minutes) and
   * `maximum_event_age_in_seconds`. The default makes a minute last a second, so an event that always fails
   * reaches its on-failure destination about 3 s after it was sent; 1 keeps AWS's timing. @default 1/60
   */
  readonly asyncTimeScale?: number;
}

/**
 * Runs the platform's `aws_lambda_function`s (Node.js, zip packages) in worker threads: the asset zip is
 * extracted into the service's data folder, each function keeps warm execution environments between
 * invocations, and its console output is logged as `[lambda:<name>]`. Publishes `lambda.invoker` and the
 * AppSync AWS_LAMBDA data source. `Event` invocations go through Lambda's asynchronous queue (retries, maximum
 * event age, on-success and on-failure destinations from `aws_lambda_function_event_invoke_config`, see
 * {@link AsyncInvocations}).
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
 * - Asynchronous invocations run on a compressed clock (`asyncTimeScale`, default 1/60): retries come after 1 s and
 *   2 s instead of 1 and 2 minutes, and `maximum_event_age_in_seconds` is scaled alike. An event's age is checked
 *   only when a retry is due, not while it waits for a busy environment; throttled or failed Lambda API calls are
 *   not retried (with reserved concurrency 0 an `Event` invocation is refused rather than sent to the on-failure
 *   destination). No dead-letter queue (`dead_letter_config`), no S3 bucket destination; the queue does not
 *   survive a restart. Records of unfinished events are not sent when the sandbox stops.
 * - `aws_lambda_permission` is not enforced: any local service may invoke any function.
 * - No payload size limits; an X-Ray trace header is set but never sampled.
 */
export function lambdaService(options: LambdaServiceOptions = {}): SandboxService {
  const timeScale = options.asyncTimeScale ?? 1 / 60;
  if (!(timeScale > 0 && timeScale <= 1)) throw new Error(`lambdaService: asyncTimeScale must be above 0 and at most 1, not ${timeScale}`);
  const pools = new Map<string, FunctionPool>();
  let asyncConfigs = new Map<string, AsyncInvokeConfig>();
  let asyncInvocations: AsyncInvocations | undefined;

  const invoker: LambdaInvoker = {
    async invoke(functionNameOrArn: string, event: unknown, invokeOptions: InvokeOptions = {}): Promise<InvokeResult> {
      const pool = pools.get(functionNameOf(functionNameOrArn));
      if (!pool || !asyncInvocations) throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${functionNameOrArn}`);
      if (invokeOptions.invocationType !== 'Event') return pool.invoke(event, 'RequestResponse');
      return { requestId: asyncInvocations.enqueue(pool, event), payload: undefined, logs: [] };
    },
  };

  return {
    name: 'lambda',
    runs: ['aws_lambda_function', 'aws_lambda_function_event_invoke_config'],
    accepts: { aws_lambda_permission: 'invocation permissions are not enforced: any local service may invoke any function' },
    attributes: { aws_lambda_function: lambdaFunctionAttributes, aws_lambda_function_event_invoke_config: eventInvokeConfigAttributes },

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
      const logger = context.logger('lambda');
      asyncConfigs = readEventInvokeConfigs(context.model, new Set(pools.keys()), (message) => logger.warn(message));
      asyncInvocations = new AsyncInvocations({
        timeScale,
        config: (name) => asyncConfigs.get(name) ?? DEFAULT_ASYNC_CONFIG,
        deliver: (destination, record) => sendRecord(destination, record, { registry: context.registry, invoker }),
        logger,
      });
      context.registry.provide(LAMBDA_INVOKER, invoker);
      context.registry.provide(dataSourceCapability('AWS_LAMBDA'), lambdaDataSource(invoker));
    },

    async stop(): Promise<void> {
      // Retries are cancelled first, so none starts on a stopping pool; attempts in flight end with their pools.
      const draining = asyncInvocations?.stop();
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
      await draining;
    },

    describe(): readonly string[] {
      return [...pools.values()].flatMap(({ fn }) => {
        const line = `lambda: ${fn.name} (${fn.runtime}, ${fn.handler}, ${fn.memoryMb} MB, ${fn.timeoutSeconds} s) ${fn.arn}`;
        const config = asyncConfigs.get(fn.name);
        if (!config) return [line];
        const destinations = [config.onFailure && `on failure → ${config.onFailure}`, config.onSuccess && `on success → ${config.onSuccess}`].filter(Boolean);
        return [line, `lambda: ${fn.name} async: ${config.maximumRetryAttempts} retries, max event age ${config.maximumEventAgeSeconds} s${destinations.map((text) => `, ${text}`).join('')}`];
      });
    },
  };
}
