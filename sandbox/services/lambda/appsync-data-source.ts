import type { AppSyncContext, DataSourceResponse } from '../../../runtime/appsync';
import type { DataSourceFactory } from '../appsync/data-source';
import type { InvocationType, LambdaInvoker } from './contracts';

/** A resolver's request to an AWS_LAMBDA data source (`@aws-appsync/utils`' `LambdaRequest`). */
interface LambdaRequest {
  operation?: unknown;
  invocationType?: InvocationType;
  payload?: unknown;
}

/**
 * AppSync's AWS_LAMBDA data source over the sandbox's functions. `Invoke` sends `payload` as the event and
 * answers the return value as `ctx.result`; `BatchInvoke` sends a list of payloads and expects a list back,
 * one result per entry. A function error becomes `ctx.error` with type `Lambda:Unhandled` and the function's
 * `errorMessage`; a Lambda API error (unknown function, throttling) becomes `Lambda:<exception>`.
 *
 * Differences: the sandbox's engine resolves one field at a time, so a BatchInvoke batch always holds one
 * request; a request without `payload` sends the resolver context, as a direct Lambda resolver does.
 */
export function lambdaDataSource(invoker: LambdaInvoker): DataSourceFactory {
  return (definition) => {
    const config = definition.config.lambda_config;
    const functionArn = (Array.isArray(config) ? config[0] : config)?.function_arn as string | undefined;
    if (!functionArn) throw new Error(`AppSync data source ${definition.name}: lambda_config.function_arn is missing`);

    return async (request, ctx): Promise<DataSourceResponse> => {
      const { operation, invocationType = 'RequestResponse', payload } = (request ?? {}) as LambdaRequest;
      if (operation !== 'Invoke' && operation !== 'BatchInvoke') {
        return { error: { message: `Unsupported operation ${JSON.stringify(operation)}: a Lambda data source takes Invoke or BatchInvoke`, type: 'MappingTemplate' } };
      }
      const event = payload === undefined ? resolverContext(ctx) : payload;
      let result;
      try {
        result = await invoker.invoke(functionArn, operation === 'BatchInvoke' ? [event] : event, { invocationType });
      } catch (error) {
        return { error: { message: (error as Error).message, type: `Lambda:${(error as Error).name}` } };
      }
      if (result.error) return { error: { message: result.error.errorMessage, type: 'Lambda:Unhandled' } };
      if (invocationType === 'Event') return { result: null };
      if (operation === 'Invoke') return { result: result.payload };
      if (!Array.isArray(result.payload) || result.payload.length !== 1) {
        return { error: { message: `BatchInvoke: ${functionArn} must return a list with one result per request`, type: 'Lambda:Unhandled' } };
      }
      return { result: result.payload[0] as unknown };
    };
  };
}

/** What a direct Lambda resolver sends: the resolver context. */
function resolverContext(ctx: AppSyncContext): Record<string, unknown> {
  return {
    arguments: ctx.arguments,
    identity: ctx.identity,
    source: ctx.source,
    request: ctx.request,
    info: ctx.info,
    prev: ctx.prev,
    stash: ctx.stash,
  };
}
