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

/**
 * `RequestResponse` waits for the result; `Event` queues the invocation and answers at once, as Lambda's async
 * invoke, then retries function errors and sends invocation records as the function's event invoke config says.
 */
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

/** Why Lambda sent an invocation record to a destination. */
export type InvocationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/**
 * What Lambda sends to an asynchronous invocation's on-success or on-failure destination: the SQS message body,
 * the SNS message, the EventBridge event's `detail`, or a destination function's event.
 */
export interface InvocationRecord {
  readonly version: '1.0';
  /** When the record was made, ISO 8601 with milliseconds. */
  readonly timestamp: string;
  readonly requestContext: {
    /** The request id of the invocation, the same for every attempt. */
    readonly requestId: string;
    /** The function ARN qualified with the version that ran, `...:function:<name>:$LATEST`. */
    readonly functionArn: string;
    readonly condition: InvocationCondition;
    /** Attempts made: 1 plus the retries. */
    readonly approximateInvokeCount: number;
  };
  /** The event, as the function received it. */
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    /** Set when the last attempt failed. */
    readonly functionError?: 'Unhandled';
  };
  /** What the last attempt returned, or its error payload (`errorType`, `errorMessage`, `trace`). */
  readonly responsePayload: unknown;
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
