import type { AttributeProvider, PlatformModel } from '../../model/platform-model';
import { destinationKind } from './destinations';
import { block, functionNameOf } from './function-config';

/** How Lambda treats a function's asynchronous invocations. */
export interface AsyncInvokeConfig {
  /** Retries after a function error, 0-2. */
  readonly maximumRetryAttempts: number;
  /** Seconds an event may stay in Lambda's queue, 60-21600; an event older than this is not retried. */
  readonly maximumEventAgeSeconds: number;
  /** Destination ARN for the records of events that failed every attempt or expired. */
  readonly onFailure?: string;
  /** Destination ARN for the records of events the function processed. */
  readonly onSuccess?: string;
}

/** Lambda's behaviour for a function without `aws_lambda_function_event_invoke_config`. */
export const DEFAULT_ASYNC_CONFIG: AsyncInvokeConfig = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600 };

/** `id` of `aws_lambda_function_event_invoke_config`: the function name as given, `:qualifier` appended when set. */
export const eventInvokeConfigAttributes: AttributeProvider = (resource, attribute, model) => {
  if (attribute !== 'id') return undefined;
  const name = String(model.attribute(resource, 'function_name'));
  const qualifier = resource.raw.qualifier === undefined ? undefined : String(model.attribute(resource, 'qualifier'));
  return qualifier ? `${name}:${qualifier}` : name;
};

/**
 * Reads every `aws_lambda_function_event_invoke_config` of the platform, by function name. Collects what Lambda's
 * API would refuse (unknown function, retries outside 0-2, an age outside 60-21600 s, an S3 bucket on success,
 * two configs for one function) and throws once, naming each resource. A destination ARN of no kind Lambda knows
 * and a config of a published version or alias (the sandbox runs `$LATEST` only) are skipped with a warning.
 */
export function readEventInvokeConfigs(model: PlatformModel, functionNames: ReadonlySet<string>, warn: (message: string) => void): Map<string, AsyncInvokeConfig> {
  const configs = new Map<string, AsyncInvokeConfig>();
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const resource of model.resources('aws_lambda_function_event_invoke_config')) {
    const config = model.config<Record<string, unknown>>(resource);
    const problem = (text: string) => problems.push(`${resource.id}: ${text}`);
    const name = functionNameOf(String(config.function_name));
    const qualifier = config.qualifier === undefined || config.qualifier === '$LATEST' ? undefined : String(config.qualifier);
    if (qualifier !== undefined || name.includes(':')) {
      warn(`${resource.id} configures ${qualifier ? `${name}:${qualifier}` : name}; the sandbox runs $LATEST only, so it never applies`);
      continue;
    }
    if (!functionNames.has(name)) problem(`function_name ${String(config.function_name)} names no aws_lambda_function of the platform`);
    const owner = owners.get(name);
    if (owner) problem(`${name} already has an event invoke config (${owner})`);
    owners.set(name, resource.id);

    const retries = Number(config.maximum_retry_attempts ?? DEFAULT_ASYNC_CONFIG.maximumRetryAttempts);
    if (!Number.isInteger(retries) || retries < 0 || retries > 2) problem(`maximum_retry_attempts ${String(config.maximum_retry_attempts)} is not an integer from 0 to 2`);
    const age = Number(config.maximum_event_age_in_seconds ?? DEFAULT_ASYNC_CONFIG.maximumEventAgeSeconds);
    if (!Number.isInteger(age) || age < 60 || age > 21600) problem(`maximum_event_age_in_seconds ${String(config.maximum_event_age_in_seconds)} is not an integer from 60 to 21600`);

    const destinations = block(config.destination_config);
    const onFailure = destination(block(destinations.on_failure));
    const onSuccess = destination(block(destinations.on_success));
    // AWS refuses such an ARN, so here it most likely comes from a reference the sandbox resolved differently:
    // worth a warning, not a sandbox that will not start. Its records fail to deliver, with an error log.
    for (const [field, arn] of [['on_failure', onFailure], ['on_success', onSuccess]] as const) {
      if (arn !== undefined && !destinationKind(arn)) warn(`${resource.id}: ${field} destination ${arn} is not an SQS queue, SNS topic, EventBridge bus, Lambda function or S3 bucket ARN; its records will not be delivered`);
    }
    if (onSuccess !== undefined && destinationKind(onSuccess) === 's3') problem(`on_success destination ${onSuccess}: an S3 bucket takes records of failed invocations only`);
    configs.set(name, { maximumRetryAttempts: retries, maximumEventAgeSeconds: age, onFailure, onSuccess });
  }
  if (problems.length > 0) throw new Error(`Invalid aws_lambda_function_event_invoke_config:\n- ${problems.join('\n- ')}`);
  return configs;
}

function destination(target: Record<string, unknown>): string | undefined {
  return typeof target.destination === 'string' && target.destination !== '' ? target.destination : undefined;
}
