// After-apply attributes of the API Gateway resources: ids shaped like API Gateway's, derived from the
// resource address so they are stable across restarts, and invoke URLs pointing at the sandbox's server.
import { createHash } from 'node:crypto';
import type { AttributeProvider, PlatformModel, ResourceRef } from '../../model/platform-model';

/** Where the sandbox serves API Gateway; invoke URLs are built from it. */
export interface ApiGatewayEndpoint {
  host: string;
  port: number;
  /** True once an invoke URL was computed; a port that changes afterwards is worth a warning. */
  read: boolean;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function derive(seed: string, length: number, alphabet: string): string {
  let value = '';
  for (let round = 0; value.length < length; round += 1) {
    const digest = createHash('sha256').update(`${round}:${seed}`).digest();
    for (const byte of digest) {
      if (value.length === length) break;
      value += alphabet[byte % alphabet.length];
    }
  }
  return value;
}

/** A lower-case id like API Gateway's (`a1b2c3d4e5` for APIs and keys, `abc123` for resources). */
export function stableId(resource: ResourceRef, length: number, salt = ''): string {
  return derive(`${salt}${resource.id}`, length, BASE36);
}

/** The generated value of an API key without a `value`: 40 characters like API Gateway's, stable per key name. */
export function generatedApiKeyValue(name: string): string {
  return derive(`api-key:${name}`, 40, ALPHANUMERIC);
}

/** `http://host:port/restapis/<apiId>/<stage>/_user_request_`, LocalStack's path-style invoke URL; paths are appended to it. */
export function invokeUrl(endpoint: ApiGatewayEndpoint, apiId: string, stage: string): string {
  endpoint.read = true;
  return `http://${endpoint.host}:${endpoint.port}/restapis/${apiId}/${stage}/_user_request_`;
}

/** The id of the REST API a resource belongs to, through its `rest_api_id`. */
export function restApiIdOf(resource: ResourceRef, model: PlatformModel): string {
  return String(model.resolve(resource.stack, resource.raw.rest_api_id));
}

const ID_LENGTHS: Readonly<Record<string, number>> = {
  aws_api_gateway_resource: 6,
  aws_api_gateway_request_validator: 6,
  aws_api_gateway_model: 6,
  aws_api_gateway_deployment: 6,
  aws_api_gateway_usage_plan: 6,
  aws_api_gateway_api_key: 10,
};

/** Every API Gateway resource type the service runs or accepts, with its after-apply attributes. */
export function apiGatewayAttributes(endpoint: ApiGatewayEndpoint): Readonly<Record<string, AttributeProvider>> {
  const apiArn = (model: PlatformModel, path: string) => `arn:aws:apigateway:${model.region}::${path}`;
  const executionArn = (model: PlatformModel, apiId: string) => `arn:aws:execute-api:${model.region}:${model.accountId}:${apiId}`;
  const withId = (provider: AttributeProvider): AttributeProvider => (resource, attribute, model) => {
    const length = ID_LENGTHS[resource.type];
    if (attribute === 'id' && length) return stableId(resource, length);
    return provider(resource, attribute, model);
  };
  const methodKey = (resource: ResourceRef, model: PlatformModel) => {
    const config = (name: string) => String(model.resolve(resource.stack, resource.raw[name]));
    return `${config('rest_api_id')}-${config('resource_id')}-${config('http_method')}`;
  };
  const createdDate = () => '1970-01-01T00:00:00Z';

  return {
    aws_api_gateway_rest_api: (resource, attribute, model) => {
      const id = stableId(resource, 10);
      switch (attribute) {
        case 'id':
          return id;
        case 'root_resource_id':
          return stableId(resource, 10, 'root:');
        case 'arn':
          return apiArn(model, `/restapis/${id}`);
        case 'execution_arn':
          return executionArn(model, id);
        case 'created_date':
          return createdDate();
        default:
          return undefined;
      }
    },
    aws_api_gateway_resource: withId((resource, attribute, model) => {
      if (attribute === 'path') return resourcePath(model, resource);
      return undefined;
    }),
    aws_api_gateway_method: (resource, attribute, model) => (attribute === 'id' ? `agm-${methodKey(resource, model)}` : undefined),
    aws_api_gateway_integration: (resource, attribute, model) => (attribute === 'id' ? `agi-${methodKey(resource, model)}` : undefined),
    aws_api_gateway_method_response: (resource, attribute, model) =>
      attribute === 'id' ? `agmr-${methodKey(resource, model)}-${String(model.resolve(resource.stack, resource.raw.status_code))}` : undefined,
    aws_api_gateway_integration_response: (resource, attribute, model) =>
      attribute === 'id' ? `agir-${methodKey(resource, model)}-${String(model.resolve(resource.stack, resource.raw.status_code))}` : undefined,
    aws_api_gateway_gateway_response: (resource, attribute, model) =>
      attribute === 'id' ? `aggr-${restApiIdOf(resource, model)}-${String(model.resolve(resource.stack, resource.raw.response_type))}` : undefined,
    aws_api_gateway_request_validator: withId(() => undefined),
    aws_api_gateway_model: withId(() => undefined),
    aws_api_gateway_deployment: withId((resource, attribute, model) => {
      const apiId = restApiIdOf(resource, model);
      if (attribute === 'invoke_url') {
        const stage = resource.raw.stage_name === undefined ? '' : String(model.resolve(resource.stack, resource.raw.stage_name));
        return invokeUrl(endpoint, apiId, stage);
      }
      if (attribute === 'execution_arn') return `${executionArn(model, apiId)}/`;
      if (attribute === 'created_date') return createdDate();
      return undefined;
    }),
    aws_api_gateway_stage: (resource, attribute, model) => {
      const apiId = restApiIdOf(resource, model);
      const stage = String(model.resolve(resource.stack, resource.raw.stage_name));
      switch (attribute) {
        case 'id':
          return `ags-${apiId}-${stage}`;
        case 'arn':
          return apiArn(model, `/restapis/${apiId}/stages/${stage}`);
        case 'invoke_url':
          return invokeUrl(endpoint, apiId, stage);
        case 'execution_arn':
          return `${executionArn(model, apiId)}/${stage}`;
        case 'web_acl_arn':
          return '';
        default:
          return undefined;
      }
    },
    aws_api_gateway_api_key: withId((resource, attribute, model) => {
      if (attribute === 'value') return generatedApiKeyValue(String(model.resolve(resource.stack, resource.raw.name)));
      if (attribute === 'arn') return apiArn(model, `/apikeys/${stableId(resource, 10)}`);
      if (attribute === 'created_date' || attribute === 'last_updated_date') return createdDate();
      return undefined;
    }),
    aws_api_gateway_usage_plan: withId((resource, attribute, model) =>
      attribute === 'arn' ? apiArn(model, `/usageplans/${stableId(resource, 6)}`) : undefined,
    ),
    aws_api_gateway_usage_plan_key: (resource, attribute, model) => {
      const key = () => String(model.resolve(resource.stack, resource.raw.key_id));
      if (attribute === 'id') return key();
      if (attribute === 'name' || attribute === 'value') return apiKeyAttribute(model, key(), attribute);
      return undefined;
    },
    aws_api_gateway_method_settings: (resource, attribute, model) =>
      attribute === 'id' ? `${restApiIdOf(resource, model)}-${String(model.resolve(resource.stack, resource.raw.stage_name))}-${String(model.resolve(resource.stack, resource.raw.method_path))}` : undefined,
    aws_api_gateway_account: (_resource, attribute) => (attribute === 'id' ? 'api-gateway-account' : undefined),
    aws_api_gateway_rest_api_policy: (resource, attribute, model) => (attribute === 'id' ? restApiIdOf(resource, model) : undefined),
  };
}

/** The full path of an `aws_api_gateway_resource` (`/v1/partner-orders`), from its `parent_id` chain. */
export function resourcePath(model: PlatformModel, resource: ResourceRef): string {
  const parts: string[] = [];
  let current: ResourceRef | undefined = resource;
  const seen = new Set<string>();
  while (current) {
    if (seen.has(current.id)) throw new Error(`API Gateway resource ${resource.id} has a parent_id cycle`);
    seen.add(current.id);
    parts.unshift(String(model.resolve(current.stack, current.raw.path_part)));
    const parentId: string = String(model.resolve(current.stack, current.raw.parent_id));
    current = model.resources('aws_api_gateway_resource').find((candidate): boolean => String(model.attribute(candidate, 'id')) === parentId);
  }
  return `/${parts.join('/')}`;
}

function apiKeyAttribute(model: PlatformModel, keyId: string, attribute: 'name' | 'value'): unknown {
  const key = model.resources('aws_api_gateway_api_key').find((candidate) => String(model.attribute(candidate, 'id')) === keyId);
  return key ? model.attribute(key, attribute) : undefined;
}
