// After-apply attributes of the AppSync resources: ids shaped like AppSync's, derived from the resource
// address so they are stable across restarts, and endpoints pointing at the sandbox's own server.
import { createHash } from 'node:crypto';
import type { AttributeProvider, PlatformModel, ResourceRef } from '../../../model/platform-model';

/** Where the sandbox serves AppSync; the API's `uris` are built from it. */
export interface AppSyncEndpoint {
  readonly host: string;
  readonly httpsPort: number;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 26 lower-case base32 characters derived from a resource address, like AppSync's API and function ids. */
function stableId(resource: ResourceRef, salt = ''): string {
  const digest = createHash('sha256').update(`${salt}${resource.id}`).digest();
  let id = '';
  for (let index = 0; id.length < 26; index += 1) id += BASE32[(digest[index] as number) % 32];
  return id;
}

/** The `https://host:port/graphql` endpoint. */
export function graphqlUrl(endpoint: AppSyncEndpoint): string {
  return `https://${endpoint.host}:${endpoint.httpsPort}/graphql`;
}

/** The `wss://host:port/graphql/realtime` endpoint, as AppSync names it for custom domains. */
export function realtimeUrl(endpoint: AppSyncEndpoint): string {
  return `wss://${endpoint.host}:${endpoint.httpsPort}/graphql/realtime`;
}

/** The secret of an `aws_appsync_api_key`: `da2-` and 26 characters, stable for the resource. */
export function apiKeyValue(resource: ResourceRef): string {
  return `da2-${stableId(resource, 'key:')}`;
}

function apiArn(model: PlatformModel, apiId: string): string {
  return `arn:aws:appsync:${model.region}:${model.accountId}:apis/${apiId}`;
}

function apiIdOf(resource: ResourceRef, model: PlatformModel): string {
  return String(model.resolve(resource.stack, resource.raw.api_id));
}

/** Attribute providers of the AppSync resource types, with the API's endpoints at `endpoint`. */
export function appSyncAttributes(endpoint: AppSyncEndpoint): Record<string, AttributeProvider> {
  return {
    aws_appsync_graphql_api: (resource, attribute, model) => {
      const id = stableId(resource);
      if (attribute === 'id') return id;
      if (attribute === 'arn') return apiArn(model, id);
      if (attribute === 'uris') return { GRAPHQL: graphqlUrl(endpoint), REALTIME: realtimeUrl(endpoint) };
      return undefined;
    },
    aws_appsync_function: (resource, attribute, model) => {
      const functionId = stableId(resource);
      if (attribute === 'function_id') return functionId;
      if (attribute === 'id') return `${apiIdOf(resource, model)}-${functionId}`;
      if (attribute === 'arn') return `${apiArn(model, apiIdOf(resource, model))}/functions/${functionId}`;
      return undefined;
    },
    aws_appsync_datasource: (resource, attribute, model) => {
      const name = String(model.resolve(resource.stack, resource.raw.name));
      if (attribute === 'arn') return `${apiArn(model, apiIdOf(resource, model))}/datasources/${name}`;
      if (attribute === 'id') return `${apiIdOf(resource, model)}-${name}`;
      return undefined;
    },
    aws_appsync_resolver: (resource, attribute, model) => {
      const type = String(model.resolve(resource.stack, resource.raw.type));
      const field = String(model.resolve(resource.stack, resource.raw.field));
      if (attribute === 'arn') return `${apiArn(model, apiIdOf(resource, model))}/types/${type}/resolvers/${field}`;
      if (attribute === 'id') return `${apiIdOf(resource, model)}-${type}-${field}`;
      return undefined;
    },
    aws_appsync_api_key: (resource, attribute, model) => {
      if (attribute === 'key') return apiKeyValue(resource);
      if (attribute === 'id') return `${apiIdOf(resource, model)}:${stableId(resource, 'id:')}`;
      return undefined;
    },
  };
}

/** Registers {@link appSyncAttributes} on a model (the Sandbox does this for services; tests call it). */
export function registerAppSyncAttributes(model: PlatformModel, endpoint: AppSyncEndpoint): void {
  for (const [type, provider] of Object.entries(appSyncAttributes(endpoint))) model.registerAttributes(type, provider);
}
