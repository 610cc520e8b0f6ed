/**
 * What the sandbox's Lambda service offers other services (queue pollers, event buses, AppSync) through the
 * capability registry, and what it reads from them.
 */

/** Registry key of the {@link LambdaInvoker}. */
export const LAMBDA_INVOKER = 'lambda.invoker';

/**
 * Registry key of the environment variables (a `Record<string, string>`) that point AWS SDK clients at the
 * sandbox: `AWS_ENDPOINT_URL_*`, credentials... Read when a function's execution environment starts.
 */
export const AWS_ENVIRONMENT = 'aws.environment';

/** `RequestResponse` waits for the result; `Event` queues the invocation and answers at once, as Lambda's async invoke. */
export type InvocationType = 'RequestResponse' | 'Event';

/** How to invoke. */
export interface InvokeOptions {
  /** @default 'RequestResponse' */
  readonly invocationType?: InvocationType;
}

/** A function error, in the shape Lambda puts in the response payload. */
export interface LambdaError {
  /** The error's `name` (e.g. `OrderNotFoundError`), or a runtime type: `Sandbox.Timedout`, `Runtime.OutOfMemory`... */
  readonly errorType: string;
  readonly errorMessage: string;
  /** Stack lines; empty for a thrown non-Error. */
  readonly trace: readonly string[];
}

/** The outcome of one invocation. */
export interface InvokeResult {
  readonly requestId: string;
  /**
   * What the handler returned, serialized and parsed as JSON as Lambda does (`undefined` becomes `null`).
   * `undefined` when the invocation failed or was an `Event` invocation.
   */
  readonly payload: unknown;
  /** Set when the function failed: thrown error, timeout, out of memory, crash. */
  readonly error?: LambdaError;
  /** What the function wrote (console, stdout, stderr) during the invocation, one entry per line or console call. */
  readonly logs: readonly string[];
}

/** Invokes the platform's functions. */
export interface LambdaInvoker {
  /**
   * Invokes a function by name or ARN (unqualified, or qualified with `$LATEST`). Function errors resolve with
   * `error`; API errors reject: `ResourceNotFoundException` for an unknown function, `TooManyRequestsException`
   * when a reserved concurrency is used up.
   */
  invoke(functionNameOrArn: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}

/** An error of the Lambda API itself (not of the function), named like the AWS exception. */
export class LambdaServiceError extends Error {
  constructor(
    override readonly name: 'ResourceNotFoundException' | 'TooManyRequestsException' | 'ServiceException',
    message: string,
  ) {
    super(message);
  }
}
