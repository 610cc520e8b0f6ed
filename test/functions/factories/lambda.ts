import type { Context } from 'aws-lambda';

/** A Lambda context as the Node.js runtime passes it; `remainingMs` is what `getRemainingTimeInMillis` answers. */
export function lambdaContext(functionName = 'orders-test-function', remainingMs = 30_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: '6f1c2a4e-8f0b-4c3e-9d2a-1b2c3d4e5f60',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
