import type { AppSyncContext, DataSourceResponse } from '../../../runtime/appsync';

/** An `aws_appsync_datasource` as the sandbox sees it: its resolved Terraform arguments. */
export interface DataSourceDefinition {
  readonly name: string;
  /** AMAZON_DYNAMODB, NONE, AWS_LAMBDA, HTTP, AMAZON_EVENTBRIDGE, ... */
  readonly type: string;
  /** The resolved `aws_appsync_datasource` arguments (dynamodb_config, lambda_config, http_config...). */
  readonly config: Record<string, unknown>;
}

/** Sends one resolver request object to a data source and answers as AppSync's data source would. */
export type DataSourceHandler = (request: unknown, ctx: AppSyncContext) => Promise<DataSourceResponse>;

/** Builds the handler for one data source; published by the service that owns the data source type. */
export type DataSourceFactory = (definition: DataSourceDefinition) => DataSourceHandler;

/** Registry key under which a service publishes the {@link DataSourceFactory} of one data source type. */
export function dataSourceCapability(type: string): string {
  return `appsync.datasource.${type}`;
}
