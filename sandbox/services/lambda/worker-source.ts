/** What the parent sends a worker at start (as `workerData`). */
export interface WorkerSetup {
  readonly file: string;
  readonly exportPath: readonly string[];
  readonly handler: string;
  /** `NODE_OPTIONS` asked for `--enable-source-maps`; a worker cannot take NODE_OPTIONS, so it is switched on here. */
  readonly sourceMaps: boolean;
  readonly logFormat: 'Text' | 'JSON';
  /** Lowest console level written in JSON format. */
  readonly logLevel?: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/** One invocation, parent to worker. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The event as JSON, as Lambda delivers it. */
  readonly event: string;
  readonly invokedFunctionArn: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
  readonly traceId: string;
}

/** Worker to parent. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'log'; readonly level: string; readonly text: string }
  | { readonly type: 'result'; readonly requestId: string; readonly payload: string }
  | {
      readonly type: 'error';
      readonly requestId?: string;
      readonly error: { errorType: string; errorMessage: string; trace: string[] };
      /** The runtime cannot go on (init failure, uncaught exception): the parent recycles the worker. */
      readonly fatal: boolean;
    };

/**
 * The Lambda Node.js runtime, reduced to what runs inside one worker thread: it loads the handler module
 * (init), then runs one invocation at a time with a Lambda-shaped context, async or callback style, and
 * reports results and errors the way the runtime interface client does (`errorType` is the error's name,
 * a thrown non-Error reports its `typeof`). Console calls are formatted as Lambda formats them (Text or
 * JSON); raw stdout/stderr writes (Powertools' logger) are forwarded line by line. Everything goes through
 * the message port, so a log line can never arrive after the result it preceded.
 *
 * It is plain JavaScript evaluated by `new Worker(source, { eval: true })`, so it runs the same under
 * Jest, tsx or a bundled CLI, without a file to locate on disk.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { format, types } = require('node:util');

const setup = workerData;
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const lowest = setup.logFormat === 'JSON' && setup.logLevel ? Math.max(LEVELS.indexOf(setup.logLevel.toUpperCase()), 0) : 0;
if (setup.sourceMaps) process.setSourceMapsEnabled(true);

let requestId;
let handler;

const post = (message) => parentPort.postMessage(message);
const log = (level, text) => post({ type: 'log', level, text });

const pending = { stdout: '', stderr: '' };
for (const name of ['stdout', 'stderr']) {
  process[name].write = (chunk, encoding, callback) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const lines = (pending[name] + text).split('\n');
    pending[name] = lines.pop();
    for (const line of lines) log(name === 'stderr' ? 'ERROR' : 'INFO', line);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  };
}
const flush = () => {
  for (const name of ['stdout', 'stderr']) {
    if (pending[name]) log(name === 'stderr' ? 'ERROR' : 'INFO', pending[name]);
    pending[name] = '';
  }
};

const methods = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(methods)) {
  console[method] = (...args) => {
    if (LEVELS.indexOf(level) < lowest) return;
    const message = format(...args);
    const timestamp = new Date().toISOString();
    log(level, setup.logFormat === 'JSON'
      ? JSON.stringify({ timestamp, level, requestId, message })
      : timestamp + '\t' + requestId + '\t' + level + '\t' + message);
  };
}

const toLambdaError = (error) => {
  if (types.isNativeError(error) || (error && typeof error === 'object' && typeof error.name === 'string' && 'message' in error)) {
    return { errorType: error.name, errorMessage: String(error.message), trace: String(error.stack || '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
};

process.on('uncaughtException', (error) => {
  flush();
  post({ type: 'error', requestId, error: toLambdaError(error), fatal: true });
});
process.on('unhandledRejection', (reason) => {
  flush();
  const error = toLambdaError(reason);
  post({
    type: 'error',
    requestId,
    error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: error.errorType + ': ' + error.errorMessage, trace: error.trace },
    fatal: true,
  });
});

const dig = (target, path) => path.reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), target);

async function init() {
  let module;
  try {
    module = await import(pathToFileURL(setup.file).href);
  } catch (error) {
    const failure = toLambdaError(error);
    if (error instanceof SyntaxError) failure.errorType = 'Runtime.UserCodeSyntaxError';
    else if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
      failure.errorMessage = failure.errorType + ': ' + failure.errorMessage;
      failure.errorType = 'Runtime.ImportModuleError';
    }
    flush();
    post({ type: 'error', error: failure, fatal: true });
    return;
  }
  handler = dig(module, setup.exportPath);
  if (typeof handler !== 'function') handler = dig(module.default, setup.exportPath);
  flush();
  if (typeof handler !== 'function') {
    post({ type: 'error', error: { errorType: 'Runtime.HandlerNotFound', errorMessage: setup.handler + ' is undefined or not exported', trace: [] }, fatal: true });
    return;
  }
  post({ type: 'ready' });
}

function invoke(message) {
  requestId = message.requestId;
  process.env._X_AMZN_TRACE_ID = message.traceId;
  let settled = false;
  const settle = (error, result) => {
    if (settled) return;
    settled = true;
    flush();
    if (error !== undefined && error !== null) {
      post({ type: 'error', requestId: message.requestId, error: toLambdaError(error), fatal: false });
      return;
    }
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (failure) {
      post({ type: 'error', requestId: message.requestId, error: { errorType: 'Runtime.MarshalError', errorMessage: 'Unable to stringify response body: ' + failure.message, trace: [] }, fatal: false });
      return;
    }
    post({ type: 'result', requestId: message.requestId, payload });
  };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: setup.functionName,
    functionVersion: setup.functionVersion,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: setup.memoryLimitInMB,
    awsRequestId: message.requestId,
    logGroupName: setup.logGroupName,
    logStreamName: setup.logStreamName,
    getRemainingTimeInMillis: () => Math.max(message.deadline - Date.now(), 0),
    done: (error, result) => settle(error, result),
    succeed: (result) => settle(null, result),
    fail: (error) => settle(error === undefined || error === null ? 'handled' : error),
  };
  try {
    const returned = handler(JSON.parse(message.event), context, settle);
    if (returned && typeof returned.then === 'function') returned.then((result) => settle(null, result), (error) => settle(error === undefined || error === null ? new Error(String(error)) : error));
    else if (handler.length < 3) settle(null, null);
  } catch (error) {
    settle(error);
  }
}

parentPort.on('message', (message) => {
  if (message.type === 'invoke') invoke(message);
});
init();
`;
