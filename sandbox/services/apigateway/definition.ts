// The platform's REST APIs as the sandbox serves them, read from the synthesized `aws_api_gateway_*`
// resources. Each resource is matched to its API and method by the ids the attribute providers give them,
// exactly as Terraform wires them by reference.
import type { PlatformModel, ResourceRef } from '../../model/platform-model';
import { resourcePath } from './attributes';

/** Request validation a method asks for. */
export interface ValidatorDefinition {
  readonly name: string;
  readonly body: boolean;
  readonly parameters: boolean;
}

/** A JSON Schema (draft 4) model for one content type. */
export interface ModelDefinition {
  readonly name: string;
  readonly contentType: string;
  readonly schema?: Record<string, unknown>;
}

/** One `aws_api_gateway_integration_response`. */
export interface IntegrationResponseDefinition {
  readonly statusCode: string;
  /** A regular expression matched against the whole integration status code; undefined for the default mapping. */
  readonly selectionPattern?: string;
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
}

/** One `aws_api_gateway_integration` with its responses. */
export interface IntegrationDefinition {
  readonly address: string;
  /** `AWS`, `MOCK`, `HTTP`, `HTTP_PROXY`, `AWS_PROXY`. */
  readonly type: string;
  readonly uri?: string;
  readonly httpMethod?: string;
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly passthroughBehavior: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';
  readonly responses: readonly IntegrationResponseDefinition[];
}

/** One `aws_api_gateway_method` and what hangs off it. */
export interface MethodDefinition {
  readonly address: string;
  readonly resourceId: string;
  /** `/v1/partner-orders`, with `{param}` and `{proxy+}` segments as declared. */
  readonly resourcePath: string;
  readonly httpMethod: string;
  readonly authorization: string;
  readonly apiKeyRequired: boolean;
  /** `method.request.header.X` → required. */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  /** Content type → model name. */
  readonly requestModels: Readonly<Record<string, string>>;
  readonly validator?: ValidatorDefinition;
  readonly integration?: IntegrationDefinition;
  /** Status codes declared by `aws_api_gateway_method_response`. */
  readonly methodResponses: readonly string[];
}

/** One `aws_api_gateway_gateway_response`. */
export interface GatewayResponseDefinition {
  readonly responseType: string;
  readonly statusCode?: string;
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
}

/** A stage of an API: `aws_api_gateway_stage`, or a deployment's `stage_name`. */
export interface StageDefinition {
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
  /** `access_log_settings.format`: one line per request, with `$context` variables. */
  readonly accessLogFormat?: string;
}

/** One `aws_api_gateway_rest_api`. */
export interface RestApiDefinition {
  readonly address: string;
  readonly id: string;
  readonly name: string;
  readonly rootResourceId: string;
  readonly methods: readonly MethodDefinition[];
  readonly models: ReadonlyMap<string, ModelDefinition>;
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponseDefinition>;
  readonly stages: ReadonlyMap<string, StageDefinition>;
}

/** One `aws_api_gateway_api_key`. */
export interface ApiKeyDefinition {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  readonly enabled: boolean;
}

/** Requests per second and bucket size of a throttle. */
export interface ThrottleLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Requests allowed per period. */
export interface QuotaLimits {
  readonly limit: number;
  readonly period: 'DAY' | 'WEEK' | 'MONTH';
  readonly offset: number;
}

/** An API stage a usage plan covers, with per-method throttles keyed `/resource/path/METHOD`. */
export interface UsagePlanStage {
  readonly apiId: string;
  readonly stage: string;
  readonly methodThrottles: ReadonlyMap<string, ThrottleLimits>;
}

/** One `aws_api_gateway_usage_plan` and the keys `aws_api_gateway_usage_plan_key` attaches to it. */
export interface UsagePlanDefinition {
  readonly id: string;
  readonly name: string;
  readonly stages: readonly UsagePlanStage[];
  readonly throttle?: ThrottleLimits;
  readonly quota?: QuotaLimits;
  readonly keyIds: readonly string[];
}

/** Everything API Gateway in the platform, plus what the sandbox will not emulate. */
export interface ApiGatewayDefinition {
  readonly apis: readonly RestApiDefinition[];
  readonly keys: readonly ApiKeyDefinition[];
  readonly usagePlans: readonly UsagePlanDefinition[];
  /** Settings that are read but not enforced, one sentence each. */
  readonly limitations: readonly string[];
}

type Config = Record<string, unknown>;

/** A nested block: cdktf writes single blocks as an object or a one-element list. */
function block(value: unknown): Config | undefined {
  if (Array.isArray(value)) return value[0] as Config | undefined;
  return value && typeof value === 'object' ? (value as Config) : undefined;
}

function blocks(value: unknown): Config[] {
  if (Array.isArray(value)) return value as Config[];
  return value && typeof value === 'object' ? [value as Config] : [];
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Config).filter(([, item]) => item !== null && item !== undefined).map(([key, item]) => [key, String(item)]));
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function throttle(value: unknown): ThrottleLimits | undefined {
  const settings = block(value);
  if (!settings || (settings.rate_limit === undefined && settings.burst_limit === undefined)) return undefined;
  return { rateLimit: Number(settings.rate_limit ?? 0), burstLimit: Number(settings.burst_limit ?? 0) };
}

const SUPPORTED_INTEGRATIONS = ['AWS', 'MOCK'];

/** Reads every API Gateway resource of the platform; a reference the model cannot resolve fails here, naming the resource. */
export function readApiGateway(model: PlatformModel): ApiGatewayDefinition {
  const limitations: string[] = [];
  const configs = new Map<string, { resource: ResourceRef; config: Config }[]>();
  const read = (type: string) => {
    if (!configs.has(type)) {
      configs.set(
        type,
        model.resources(type).map((resource) => {
          try {
            return { resource, config: model.config<Config>(resource) };
          } catch (error) {
            throw new Error(`Cannot read ${resource.id}: ${(error as Error).message}`, { cause: error });
          }
        }),
      );
    }
    return configs.get(type) as { resource: ResourceRef; config: Config }[];
  };
  const idOf = (resource: ResourceRef) => String(model.attribute(resource, 'id'));
  const methodKey = (config: Config) => `${String(config.rest_api_id)} ${String(config.resource_id)} ${String(config.http_method)}`;

  const resourcePaths = new Map(read('aws_api_gateway_resource').map(({ resource }) => [idOf(resource), resourcePath(model, resource)]));
  const validators = new Map(
    read('aws_api_gateway_request_validator').map(({ resource, config }) => [
      idOf(resource),
      { name: String(config.name), body: config.validate_request_body === true, parameters: config.validate_request_parameters === true },
    ]),
  );
  const integrations = new Map(read('aws_api_gateway_integration').map((entry) => [methodKey(entry.config), entry]));
  const integrationResponses = groupBy(read('aws_api_gateway_integration_response'), ({ config }) => methodKey(config));
  const methodResponses = groupBy(read('aws_api_gateway_method_response'), ({ config }) => methodKey(config));

  const apis = read('aws_api_gateway_rest_api').map(({ resource, config }): RestApiDefinition => {
    const id = idOf(resource);
    const rootResourceId = String(model.attribute(resource, 'root_resource_id'));
    const ofApi = <T extends { config: Config }>(entries: T[]) => entries.filter((entry) => String(entry.config.rest_api_id) === id);
    if (config.body !== undefined) limitations.push(`REST API ${String(config.name)}: its OpenAPI body is not imported; only aws_api_gateway_resource/method resources are served`);
    if (config.api_key_source === 'AUTHORIZER') limitations.push(`REST API ${String(config.name)}: API keys from an authorizer are not supported; keys are read from x-api-key`);

    const methods = ofApi(read('aws_api_gateway_method')).map(({ resource: methodResource, config: method }): MethodDefinition => {
      const resourceId = String(method.resource_id);
      const path = resourceId === rootResourceId ? '/' : resourcePaths.get(resourceId);
      if (path === undefined) throw new Error(`${methodResource.id}: resource_id ${resourceId} is no aws_api_gateway_resource of API ${String(config.name)}`);
      const key = methodKey(method);
      const httpMethod = String(method.http_method).toUpperCase();
      const authorization = String(method.authorization ?? 'NONE');
      if (authorization !== 'NONE') limitations.push(`${httpMethod} ${path}: authorization ${authorization} is not enforced locally`);
      const validatorId = optionalString(method.request_validator_id);
      const validator = validatorId ? validators.get(validatorId) : undefined;
      if (validatorId && !validator) throw new Error(`${methodResource.id}: request_validator_id ${validatorId} is no aws_api_gateway_request_validator`);
      const integrationEntry = integrations.get(key);
      const integration = integrationEntry ? readIntegration(integrationEntry, integrationResponses.get(key) ?? []) : undefined;
      if (!integration) limitations.push(`${httpMethod} ${path}: no integration; API Gateway would refuse to deploy it, the sandbox answers 500`);
      else if (!SUPPORTED_INTEGRATIONS.includes(integration.type)) {
        limitations.push(`${httpMethod} ${path}: ${integration.type} integrations are not emulated (only AWS service integrations with SQS, and MOCK); it answers 500`);
      } else if (integration.type === 'AWS' && !/^arn:aws:apigateway:[^:]*:sqs:/.test(integration.uri ?? '')) {
        limitations.push(`${httpMethod} ${path}: only SQS AWS-service integrations are emulated, not ${integration.uri ?? 'an integration without uri'}; it answers 500`);
      }
      const declared = (methodResponses.get(key) ?? []).map(({ config: response }) => String(response.status_code));
      for (const response of integration?.responses ?? []) {
        if (!declared.includes(response.statusCode)) limitations.push(`${httpMethod} ${path}: integration response ${response.statusCode} has no method response; AWS refuses it at apply`);
      }
      return {
        address: methodResource.id,
        resourceId,
        resourcePath: path,
        httpMethod,
        authorization,
        apiKeyRequired: method.api_key_required === true,
        requestParameters: Object.fromEntries(Object.entries((method.request_parameters ?? {}) as Config).map(([name, required]) => [name, required === true])),
        requestModels: stringMap(method.request_models),
        ...(validator ? { validator } : {}),
        ...(integration ? { integration } : {}),
        methodResponses: declared,
      };
    });

    const models = new Map(
      ofApi(read('aws_api_gateway_model')).map(({ resource: modelResource, config: definition }) => {
        let schema: Record<string, unknown> | undefined;
        if (typeof definition.schema === 'string' && definition.schema.trim() !== '') {
          try {
            schema = JSON.parse(definition.schema) as Record<string, unknown>;
          } catch (error) {
            throw new Error(`${modelResource.id}: schema is not JSON: ${(error as Error).message}`, { cause: error });
          }
        } else if (definition.schema && typeof definition.schema === 'object') schema = definition.schema as Record<string, unknown>;
        return [String(definition.name), { name: String(definition.name), contentType: String(definition.content_type), ...(schema ? { schema } : {}) }];
      }),
    );

    const gatewayResponses = new Map(
      ofApi(read('aws_api_gateway_gateway_response')).map(({ config: response }) => [
        String(response.response_type),
        {
          responseType: String(response.response_type),
          ...(optionalString(response.status_code) ? { statusCode: String(response.status_code) } : {}),
          responseParameters: stringMap(response.response_parameters),
          responseTemplates: stringMap(response.response_templates),
        },
      ]),
    );

    const stages = new Map<string, StageDefinition>();
    for (const { config: deployment } of ofApi(read('aws_api_gateway_deployment'))) {
      const name = optionalString(deployment.stage_name);
      if (name) stages.set(name, { name, variables: stringMap(deployment.variables) });
    }
    for (const { config: stage } of ofApi(read('aws_api_gateway_stage'))) {
      const name = String(stage.stage_name);
      const format = optionalString(block(stage.access_log_settings)?.format);
      stages.set(name, { name, variables: stringMap(stage.variables), ...(format ? { accessLogFormat: format } : {}) });
    }
    if (stages.size === 0) limitations.push(`REST API ${String(config.name)} has no stage, so nothing of it can be invoked`);

    return { address: resource.id, id, name: String(config.name), rootResourceId, methods, models, gatewayResponses, stages };
  });

  const keys = read('aws_api_gateway_api_key').map(({ resource, config }) => ({
    id: idOf(resource),
    name: String(config.name),
    value: String(model.attribute(resource, 'value')),
    enabled: config.enabled !== false,
  }));

  const planKeys = groupBy(read('aws_api_gateway_usage_plan_key'), ({ config }) => String(config.usage_plan_id));
  const usagePlans = read('aws_api_gateway_usage_plan').map(({ resource, config }): UsagePlanDefinition => {
    const id = idOf(resource);
    const quota = block(config.quota_settings);
    const planThrottle = throttle(config.throttle_settings);
    return {
      id,
      name: String(config.name),
      stages: blocks(config.api_stages).map((stage) => ({
        apiId: String(stage.api_id),
        stage: String(stage.stage),
        methodThrottles: new Map(blocks(stage.throttle).flatMap((entry) => {
          const limits = throttle(entry);
          return limits ? [[String(entry.path), limits] as const] : [];
        })),
      })),
      ...(planThrottle ? { throttle: planThrottle } : {}),
      ...(quota && quota.limit !== undefined
        ? { quota: { limit: Number(quota.limit), period: String(quota.period ?? 'DAY').toUpperCase() as QuotaLimits['period'], offset: Number(quota.offset ?? 0) } }
        : {}),
      keyIds: (planKeys.get(id) ?? []).filter(({ config: key }) => String(key.key_type ?? 'API_KEY') === 'API_KEY').map(({ config: key }) => String(key.key_id)),
    };
  });

  return { apis, keys, usagePlans, limitations };
}

function readIntegration(entry: { resource: ResourceRef; config: Config }, responses: { config: Config }[]): IntegrationDefinition {
  const { resource, config } = entry;
  const passthrough = String(config.passthrough_behavior ?? 'WHEN_NO_MATCH').toUpperCase();
  if (!['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'].includes(passthrough)) throw new Error(`${resource.id}: unknown passthrough_behavior ${passthrough}`);
  return {
    address: resource.id,
    type: String(config.type).toUpperCase(),
    ...(optionalString(config.uri) ? { uri: String(config.uri) } : {}),
    ...(optionalString(config.integration_http_method) ? { httpMethod: String(config.integration_http_method) } : {}),
    requestParameters: stringMap(config.request_parameters),
    requestTemplates: stringMap(config.request_templates),
    passthroughBehavior: passthrough as IntegrationDefinition['passthroughBehavior'],
    responses: responses.map(({ config: response }) => ({
      statusCode: String(response.status_code),
      ...(optionalString(response.selection_pattern) ? { selectionPattern: String(response.selection_pattern) } : {}),
      responseParameters: stringMap(response.response_parameters),
      responseTemplates: stringMap(response.response_templates),
    })),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
