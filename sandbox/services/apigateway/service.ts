import type { SandboxService } from '../../core/service';
import { SQS_SENDER, type QueueSender } from '../capabilities';
import { apiGatewayAttributes, invokeUrl, type ApiGatewayEndpoint } from './attributes';
import { readApiGateway } from './definition';
import { ApiGatewayEngine } from './engine';
import { ApiGatewayHttpServer } from './http-server';
import { sqsTarget } from './sqs-integration';

/** Registry key of {@link ApiGatewayApis}. */
export const APIGATEWAY_APIS = 'apigateway.apis';

/** One stage of a REST API and the URLs it answers on. */
export interface ApiStageUrls {
  readonly name: string;
  /** `http://host:port/restapis/<apiId>/<stage>/_user_request_`; append the resource path. Also the stage's `invoke_url`. */
  readonly invokeUrl: string;
  /** `http://host:port/<stage>`, when no other API has a stage of that name. */
  readonly friendlyUrl?: string;
}

/** What the API Gateway service serves, for tests and the CLI. */
export interface ApiGatewayApis {
  /** `http://host:port`; empty when the platform has no REST API. */
  readonly endpoint: string;
  readonly apis: readonly { readonly id: string; readonly name: string; readonly stages: readonly ApiStageUrls[]; readonly routes: readonly string[] }[];
  readonly apiKeys: readonly { readonly id: string; readonly name: string; readonly value: string; readonly enabled: boolean }[];
  /** The invoke URL of an API's stage (the only stage when none is named). */
  invokeUrl(apiName: string, stage?: string): string;
  /** The value of an API key by name. */
  apiKey(name: string): string;
  /** The request pipeline, to call without HTTP. */
  readonly engine: ApiGatewayEngine;
}

/** Options of {@link apiGatewayService}. */
export interface ApiGatewayServiceOptions {
  /**
   * Host in invoke URLs computed before the service starts (stages' `invoke_url` read by another service's
   * configuration); once started, the sandbox's host is used. @default '127.0.0.1'
   */
  readonly host?: string;
  /** Port tried first; another free one is used when it is taken. 0 picks any. @default 4567 */
  readonly port?: number;
  /** Services that must start first. @default [] (the SQS sender is looked up per request) */
  readonly after?: readonly string[];
}

/** Resource types that need nothing locally, with why. */
export const ACCEPTED_API_GATEWAY_RESOURCES: Readonly<Record<string, string>> = {
  aws_api_gateway_method_settings: 'stage logging, metrics, caching and stage-level throttling are not emulated; usage plan throttles are',
  aws_api_gateway_account: 'the CloudWatch role of API Gateway is not needed: requests are logged to the sandbox console',
  aws_api_gateway_rest_api_policy: 'resource policies are not enforced locally',
};

/**
 * API Gateway REST APIs: resources and methods, API keys with usage plans (throttle and quota), request
 * validation against draft-4 models, VTL mapping templates, AWS-service integrations with SQS (through the
 * messaging service's sender) and MOCK integrations, integration and gateway responses; served over HTTP.
 */
export function apiGatewayService(options: ApiGatewayServiceOptions = {}): SandboxService {
  const preferredPort = options.port ?? 4567;
  const endpoint: ApiGatewayEndpoint = { host: options.host ?? '127.0.0.1', port: preferredPort, read: false };
  let server: ApiGatewayHttpServer | undefined;
  let engine: ApiGatewayEngine | undefined;
  let apis: ApiGatewayApis | undefined;
  let limitations: readonly string[] = [];

  return {
    name: 'apigateway',
    runs: [
      'aws_api_gateway_rest_api',
      'aws_api_gateway_resource',
      'aws_api_gateway_method',
      'aws_api_gateway_method_response',
      'aws_api_gateway_integration',
      'aws_api_gateway_integration_response',
      'aws_api_gateway_gateway_response',
      'aws_api_gateway_request_validator',
      'aws_api_gateway_model',
      'aws_api_gateway_deployment',
      'aws_api_gateway_stage',
      'aws_api_gateway_api_key',
      'aws_api_gateway_usage_plan',
      'aws_api_gateway_usage_plan_key',
    ],
    accepts: ACCEPTED_API_GATEWAY_RESOURCES,
    attributes: apiGatewayAttributes(endpoint),
    after: options.after ?? [],

    async start(context) {
      const logger = context.logger('apigateway');
      const { model } = context;
      const definition = readApiGateway(model);
      limitations = definition.limitations;
      for (const limitation of limitations) logger.warn(limitation);
      engine = new ApiGatewayEngine({
        definition,
        region: model.region,
        accountId: model.accountId,
        queues: () => context.registry.find<QueueSender>(SQS_SENDER),
        logger,
      });
      const readEarly = endpoint.read;
      const before = `${endpoint.host}:${endpoint.port}`;
      if (definition.apis.length > 0) {
        server = await ApiGatewayHttpServer.start({ engine, host: context.host, port: await context.port(preferredPort), logger });
        endpoint.host = context.host;
        endpoint.port = server.port;
        if (readEarly && before !== `${endpoint.host}:${endpoint.port}`) {
          logger.warn(`Invoke URLs read before start pointed at ${before}; the server listens on ${endpoint.host}:${endpoint.port}`);
        }
      } else logger.info('The platform has no REST API; nothing to serve');
      apis = describeApis(engine, definition.keys, server?.endpoint ?? '', endpoint);
      context.registry.provide<ApiGatewayApis>(APIGATEWAY_APIS, apis);
    },

    async stop() {
      const running = server;
      server = undefined;
      await running?.close();
    },

    describe() {
      if (!apis || !engine || apis.apis.length === 0) return [];
      const lines = [`API Gateway      ${apis.endpoint}`];
      for (const api of apis.apis) {
        lines.push(`  REST API ${api.name} (${api.id})`);
        for (const stage of api.stages) lines.push(`    stage ${stage.name}: ${stage.invokeUrl}${stage.friendlyUrl ? `  (or ${stage.friendlyUrl})` : ''}`);
        for (const route of api.routes) lines.push(`    ${route}`);
      }
      if (apis.apiKeys.length > 0) lines.push(`  API keys (x-api-key): ${apis.apiKeys.map((key) => `${key.name}=${key.value}${key.enabled ? '' : ' (disabled)'}`).join(', ')}`);
      lines.push(...limitations.map((limitation) => `  Not emulated: ${limitation}`));
      return lines;
    },
  };
}

function describeApis(engine: ApiGatewayEngine, keys: ApiGatewayApis['apiKeys'], serverEndpoint: string, endpoint: ApiGatewayEndpoint): ApiGatewayApis {
  const stageOwners = new Map<string, number>();
  for (const api of engine.apis) for (const stage of api.stages.keys()) stageOwners.set(stage, (stageOwners.get(stage) ?? 0) + 1);
  const list = engine.apis.map((api) => ({
    id: api.id,
    name: api.name,
    stages: [...api.stages.keys()].map((stage) => ({
      name: stage,
      invokeUrl: invokeUrl(endpoint, api.id, stage),
      ...(stageOwners.get(stage) === 1 && serverEndpoint ? { friendlyUrl: `${serverEndpoint}/${stage}` } : {}),
    })),
    routes: api.methods.map((method) => {
      const target = method.integration?.uri ? sqsTarget(method.integration.uri, '') : undefined;
      const to = target?.queueArn ? ` -> SQS ${target.queueArn.split(':').pop() as string}` : method.integration ? ` -> ${method.integration.type}` : '';
      return `${method.httpMethod} ${method.resourcePath}${method.apiKeyRequired ? '  (API key)' : ''}${to}`;
    }),
  }));
  return {
    endpoint: serverEndpoint,
    apis: list,
    apiKeys: keys.map((key) => ({ id: key.id, name: key.name, value: key.value, enabled: key.enabled })),
    invokeUrl(apiName, stage) {
      const api = list.find((candidate) => candidate.name === apiName);
      if (!api) throw new Error(`No REST API named ${apiName} (${list.map((candidate) => candidate.name).join(', ') || 'none'})`);
      const found = stage === undefined ? (api.stages.length === 1 ? api.stages[0] : undefined) : api.stages.find((candidate) => candidate.name === stage);
      if (!found) throw new Error(`REST API ${apiName} has stages ${api.stages.map((candidate) => candidate.name).join(', ')}; name one`);
      return found.invokeUrl;
    },
    apiKey(name) {
      const key = keys.find((candidate) => candidate.name === name);
      if (!key) throw new Error(`No API key named ${name} (${keys.map((candidate) => candidate.name).join(', ') || 'none'})`);
      return key.value;
    },
    engine,
  };
}
