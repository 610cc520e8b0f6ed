import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Logger } from '../../core/logger';
import { LambdaServiceError, type InvocationType, type InvokeResult } from './contracts';
import { ExecutionEnvironment } from './execution-environment';
import { resolveHandler, type FunctionDefinition } from './function-config';

/** Why no environment can start: the handler string names no file or export. */
type HandlerError = { errorType: string; errorMessage: string };
/** What an invocation waits for: an environment, the reason none can start, or nothing because the pool stopped. */
type Acquired = ExecutionEnvironment | HandlerError | undefined;

/** Options of a {@link FunctionPool}. */
export interface FunctionPoolOptions {
  /** Folder the deployment package was extracted to (`LAMBDA_TASK_ROOT`). */
  readonly taskRoot: string;
  /** Warm environments kept for an unreserved function. */
  readonly maxEnvironments: number;
  readonly region: string;
  /** Variables the sandbox adds for AWS SDK clients (endpoints, credentials), read at each cold start. */
  readonly awsEnvironment: () => Readonly<Record<string, string>>;
  readonly logger: Logger;
}

/**
 * The execution environments of one function. Each runs one invocation at a time; an invocation takes a warm
 * idle environment, or starts a new one while under the limit (the reserved concurrency, else
 * `maxEnvironments`), or waits for one to free up. With a reserved concurrency Lambda throttles instead of
 * waiting, so a synchronous invocation past it fails with TooManyRequestsException, as on AWS.
 */
export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly waiting: ((acquired: Acquired) => void)[] = [];
  private inFlight = 0;
  private stopped = false;

  constructor(
    readonly fn: FunctionDefinition,
    private readonly options: FunctionPoolOptions,
  ) {}

  /**
   * Refuses an invocation the way Lambda's API does: the function is stopped, switched off (reserved concurrency
   * 0) or, for a synchronous invocation, at its reserved concurrency.
   */
  admit(invocationType: InvocationType): void {
    if (this.stopped) throw new LambdaServiceError('ServiceException', `Function ${this.fn.name} is stopped`);
    const reserved = this.fn.reservedConcurrency;
    if (reserved === 0 || (reserved !== undefined && invocationType === 'RequestResponse' && this.inFlight >= reserved)) {
      throw new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.');
    }
  }

  /**
   * Runs one invocation to its end. `Event` is one attempt of an asynchronous invocation (the service's queue
   * answers the caller and retries): it waits for an environment where a synchronous invocation is throttled,
   * as Lambda's queue holds events until the function has concurrency.
   */
  async invoke(event: unknown, invocationType: InvocationType, requestId: string = randomUUID()): Promise<InvokeResult> {
    this.admit(invocationType);
    return this.run(requestId, event);
  }

  /** Terminates every environment; invocations in flight fail. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const next of this.waiting.splice(0)) next(undefined);
    await Promise.all([...this.environments].map((environment) => environment.terminate()));
  }

  /** Execution environments alive, warm or busy. */
  get size(): number {
    return this.environments.size;
  }

  private async run(requestId: string, event: unknown): Promise<InvokeResult> {
    this.inFlight += 1;
    try {
      const environment = await this.acquire();
      if (!environment) {
        return { requestId, payload: undefined, error: { errorType: 'Runtime.ExitError', errorMessage: 'The sandbox is stopping', trace: [] }, logs: [] };
      }
      if ('errorType' in environment) return { requestId, payload: undefined, error: { ...environment, trace: [] }, logs: [] };
      const result = await environment.invoke({ requestId, event }, Date.now() + this.fn.timeoutSeconds * 1000);
      this.release(environment);
      return result;
    } finally {
      this.inFlight -= 1;
    }
  }

  private acquire(): Promise<Acquired> {
    if (this.stopped) return Promise.resolve(undefined);
    const warm = this.idle.pop();
    if (warm) return Promise.resolve(warm);
    if (this.environments.size < (this.fn.reservedConcurrency ?? this.options.maxEnvironments)) return Promise.resolve(this.start());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(environment: ExecutionEnvironment): void {
    if (!environment.alive || this.stopped) return;
    const next = this.waiting.shift();
    if (next) next(environment);
    else this.idle.push(environment);
  }

  /** A cold start: a new worker with the function's environment. */
  private start(): ExecutionEnvironment | HandlerError {
    const target = resolveHandler(this.options.taskRoot, this.fn.handler);
    if ('errorType' in target) return target;
    const environment = new ExecutionEnvironment(this.fn, target, this.variables(), this.options.logger, (gone) => {
      this.environments.delete(gone);
      const index = this.idle.indexOf(gone);
      if (index >= 0) this.idle.splice(index, 1);
      // Someone may be waiting for the slot the dead environment held.
      const next = this.waiting.shift();
      if (next) next(this.stopped ? undefined : this.start());
    });
    this.environments.add(environment);
    return environment;
  }

  /**
   * What `process.env` holds in the function: the function's variables, the sandbox's AWS SDK settings, then
   * the variables the Lambda runtime sets. Nothing is inherited from the sandbox process but PATH, so a
   * function never reaches real AWS with the developer's credentials; placeholder credentials stand in until
   * a sandbox service publishes its own.
   */
  private variables(): Record<string, string> {
    const fn = this.fn;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      // The runtime's AWS SDK: Lambda puts /var/runtime/node_modules on NODE_PATH; here it is the project's.
      NODE_PATH: resolve('node_modules'),
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_SESSION_TOKEN: 'sandbox',
      ...fn.environment,
      ...this.options.awsEnvironment(),
      AWS_REGION: this.options.region,
      AWS_DEFAULT_REGION: this.options.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      ...(fn.logLevel ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: fn.logLevel } : {}),
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      _HANDLER: fn.handler,
      LAMBDA_TASK_ROOT: this.options.taskRoot,
    };
  }
}
