import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/logger';
import type { InvokeResult, LambdaError } from './contracts';
import type { FunctionDefinition, HandlerTarget } from './function-config';
import { WORKER_SOURCE, type InvokeMessage, type WorkerMessage, type WorkerSetup } from './worker-source';

/** One invocation as the pool hands it to an environment. */
export interface Invocation {
  readonly requestId: string;
  readonly event: unknown;
}

interface InFlight {
  readonly requestId: string;
  readonly logs: string[];
  readonly timer: NodeJS.Timeout;
  readonly resolve: (result: InvokeResult) => void;
  /** When the handler was called (or the invocation began, until then), for the REPORT line. */
  started: number;
}

/**
 * One Lambda execution environment: a worker thread that loads the function once (cold start) and then
 * serves one invocation at a time while it stays warm.
 *
 * Worker threads rather than child processes: each worker is its own V8 isolate, so globals, the module
 * cache and `process.env` are per environment; `resourceLimits.maxOldGenerationSizeMb` caps the heap at the
 * function's memory size and ends just that worker with ERR_WORKER_OUT_OF_MEMORY; `terminate()` stops even a
 * busy loop on timeout; a cold start costs milliseconds, not a new Node.js process. What threads share
 * (time zone, working directory, file descriptors) is listed with the other differences from Lambda in
 * `index.ts`.
 */
export class ExecutionEnvironment {
  /** Settles once the handler module is loaded: undefined, or the init error. */
  readonly ready: Promise<LambdaError | undefined>;
  /** False once the worker has exited or was told to. */
  alive = true;
  /** Milliseconds the init took, until the first invocation's REPORT line shows it. */
  private initDuration?: number;
  private readonly worker: Worker;
  private current?: InFlight;
  private settleInit?: (error: LambdaError | undefined) => void;
  private stoppedBecause?: LambdaError;

  constructor(
    private readonly fn: FunctionDefinition,
    target: HandlerTarget,
    environment: Record<string, string>,
    private readonly logger: Logger,
    private readonly onExit: (environment: ExecutionEnvironment) => void,
  ) {
    const started = performance.now();
    const setup: WorkerSetup = {
      file: target.file,
      exportPath: target.exportPath,
      handler: fn.handler,
      sourceMaps: (environment.NODE_OPTIONS ?? '').includes('--enable-source-maps'),
      logFormat: fn.logFormat,
      logLevel: fn.logLevel,
      functionName: fn.name,
      functionVersion: '$LATEST',
      memoryLimitInMB: String(fn.memoryMb),
      logGroupName: fn.logGroupName,
      logStreamName: environment.AWS_LAMBDA_LOG_STREAM_NAME as string,
    };
    this.ready = new Promise((resolve) => {
      this.settleInit = (error) => {
        this.settleInit = undefined;
        this.initDuration = performance.now() - started;
        resolve(error);
      };
    });
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: environment,
      workerData: setup,
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
      // Taken so nothing a function writes bypasses the log forwarding onto the sandbox's own stdout.
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.on('data', (chunk: Buffer) => this.log('INFO', chunk.toString('utf8').trimEnd()));
    this.worker.stderr.on('data', (chunk: Buffer) => this.log('ERROR', chunk.toString('utf8').trimEnd()));
    this.worker.on('message', (message: WorkerMessage) => this.receive(message));
    this.worker.on('error', (error: Error & { code?: string }) => {
      this.stoppedBecause ??=
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? runtimeExit('Runtime.OutOfMemory', 'signal: killed', this.current?.requestId)
          : { errorType: 'Runtime.ExitError', errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
    });
    this.worker.on('exit', (code) => {
      this.alive = false;
      const reason = this.stoppedBecause ?? runtimeExit('Runtime.ExitError', `exit status ${code}`, this.current?.requestId);
      this.settleInit?.(reason);
      if (this.current) this.finish({ error: reason });
      this.onExit(this);
    });
  }

  /**
   * Runs one invocation on this idle environment. On a cold start the deadline covers the init too (Lambda
   * gives init its own 10 s). Never rejects: function and runtime failures are in `error`.
   */
  invoke(invocation: Invocation, deadline: number): Promise<InvokeResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stoppedBecause = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${invocation.requestId} Error: Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`,
          trace: [],
        };
        this.finish({ error: this.stoppedBecause });
        void this.terminate();
      }, Math.max(deadline - Date.now(), 0));
      const current: InFlight = { requestId: invocation.requestId, logs: [], timer, resolve, started: performance.now() };
      this.current = current;
      void this.ready.then((initError) => {
        if (this.current !== current) return;
        if (initError) {
          this.finish({ error: initError });
          void this.terminate();
          return;
        }
        current.started = performance.now();
        const message: InvokeMessage = {
          type: 'invoke',
          requestId: invocation.requestId,
          event: JSON.stringify(invocation.event ?? {}),
          invokedFunctionArn: this.fn.arn,
          deadline,
          traceId: traceId(),
        };
        this.worker.postMessage(message);
      });
    });
  }

  /** Ends the worker; an invocation in flight fails. */
  async terminate(): Promise<void> {
    if (!this.alive) return;
    this.alive = false;
    this.stoppedBecause ??= { errorType: 'Runtime.ExitError', errorMessage: 'The sandbox stopped the execution environment', trace: [] };
    await this.worker.terminate();
  }

  private receive(message: WorkerMessage): void {
    // A timed-out worker may still talk until terminate() lands; its invocation is already answered.
    if (!this.alive) return;
    switch (message.type) {
      case 'ready':
        this.settleInit?.(undefined);
        return;
      case 'log':
        this.log(message.level, message.text);
        return;
      case 'result':
        if (this.current?.requestId === message.requestId) this.finish({ payload: JSON.parse(message.payload) as unknown });
        return;
      case 'error':
        if (message.fatal) this.stoppedBecause ??= message.error;
        if (this.settleInit) this.settleInit(message.error);
        else if (this.current && (message.requestId === undefined || message.requestId === this.current.requestId)) this.finish({ error: message.error });
        else this.logger.error(`Runtime error outside an invocation: ${message.error.errorType}: ${message.error.errorMessage}`);
        if (message.fatal) void this.terminate();
    }
  }

  private finish(outcome: { payload?: unknown; error?: LambdaError }): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.timer);
    if (outcome.error) {
      const line = `Invoke Error ${JSON.stringify({ errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage })}`;
      current.logs.push(line);
      this.logger.error(line);
    }
    const duration = performance.now() - current.started;
    const init = this.initDuration === undefined ? '' : `\tInit Duration: ${this.initDuration.toFixed(2)} ms`;
    this.initDuration = undefined;
    this.logger.info(
      `REPORT RequestId: ${current.requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: ${this.fn.memoryMb} MB${init}`,
    );
    current.resolve({ requestId: current.requestId, payload: outcome.error ? undefined : outcome.payload, error: outcome.error, logs: current.logs });
  }

  private log(level: string, text: string): void {
    if (text === '') return;
    this.current?.logs.push(text);
    const severity = levelOf(level, text);
    if (severity === 'ERROR' || severity === 'FATAL') this.logger.error(text);
    else if (severity === 'WARN') this.logger.warn(text);
    else this.logger.info(text);
  }
}

/** A JSON log line (Powertools, or console in JSON format) carries its own level. */
function levelOf(level: string, text: string): string {
  if (!text.startsWith('{')) return level;
  try {
    const parsed = JSON.parse(text) as { level?: unknown };
    return typeof parsed.level === 'string' ? parsed.level.toUpperCase() : level;
  } catch {
    return level;
  }
}

/** How Lambda reports a runtime that died under an invocation. */
function runtimeExit(errorType: string, cause: string, requestId: string | undefined): LambdaError {
  return { errorType, errorMessage: `RequestId: ${requestId ?? 'none'} Error: Runtime exited with error: ${cause}`, trace: [] };
}

/** An X-Ray trace header; not sampled, since no daemon listens locally. */
function traceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
