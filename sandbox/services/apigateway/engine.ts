// One REST API request through API Gateway's steps, in API Gateway's order: route (resource + method),
// API key and usage plan (throttle, quota), request validation (parameters, body model), integration
// request (mapping template, parameter mappings), the integration itself, then the integration response
// picked by its selection pattern and mapped back. Every refusal of API Gateway's own is a gateway response.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger';
import type { QueueSender } from '../capabilities';
import type { ApiGatewayDefinition, IntegrationDefinition, IntegrationResponseDefinition, MethodDefinition, RestApiDefinition } from './definition';
import { GATEWAY_RESPONSE_DEFAULTS, gatewayResponse, mappedValue, selectTemplate, substituteVariables, type ApiResponse, type GatewayResponseType } from './gateway-responses';
import { evaluateJsonPath } from './json-path';
import { invokeSqs, sqsTarget, type IntegrationRequest, type IntegrationResult } from './sqs-integration';
import { UsagePlans } from './usage-plans';
import { BodyValidator, missingParameters } from './validation';
import { InvalidJsonPayloadError, renderMappingTemplate, type RequestParams } from './vtl';

/** A request to one stage of one API, as the HTTP front end parsed it. */
export interface ApiRequest {
  readonly apiId: string;
  readonly stage: string;
  readonly httpMethod: string;
  /** The path after the stage, starting with `/`. */
  readonly path: string;
  readonly querystring: Readonly<Record<string, string>>;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly sourceIp: string;
}

/** The answer, with the request id API Gateway gave the request. */
export interface ApiResult extends ApiResponse {
  readonly requestId: string;
}

/** Options of {@link ApiGatewayEngine}. */
export interface ApiGatewayEngineOptions {
  readonly definition: ApiGatewayDefinition;
  readonly region: string;
  readonly accountId: string;
  /** The SQS sender, looked up per request so it works with whichever messaging service runs. */
  readonly queues: () => QueueSender | undefined;
  readonly logger: Logger;
  /** @default Date.now */
  readonly clock?: () => number;
}

/** A matched route: the method and the values of its `{param}` segments. */
export interface RouteMatch {
  readonly method: MethodDefinition;
  readonly pathParams: Readonly<Record<string, string>>;
}

/** Signals a refusal of API Gateway's own, answered with a gateway response. */
class GatewayRefusal extends Error {
  constructor(
    readonly type: GatewayResponseType,
    message?: string,
    readonly validationErrorString?: string,
  ) {
    super(message ?? type);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The most specific method for a path: literal segments beat `{param}`, which beats `{proxy+}`; a method beats ANY. */
export function matchRoute(api: RestApiDefinition, httpMethod: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const method of api.methods) {
    if (method.httpMethod !== httpMethod && method.httpMethod !== 'ANY') continue;
    const pattern = method.resourcePath.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    const score: number[] = [];
    let matched = true;
    for (let index = 0; index < pattern.length && matched; index += 1) {
      const part = pattern[index] as string;
      const greedy = /^\{(.+)\+\}$/.exec(part);
      const param = /^\{(.+)\}$/.exec(part);
      if (greedy) {
        const rest = segments.slice(index);
        matched = index === pattern.length - 1 && rest.length > 0;
        params[greedy[1] as string] = rest.join('/');
        score.push(...new Array<number>(rest.length).fill(0));
        break;
      } else if (param) {
        matched = segments[index] !== undefined;
        params[param[1] as string] = segments[index] ?? '';
        score.push(1);
      } else {
        matched = segments[index] === part;
        score.push(2);
      }
    }
    if (!matched || score.length !== segments.length) continue;
    score.push(method.httpMethod === 'ANY' ? 0 : 1);
    if (!best || compareScores(score, best.score) > 0) best = { match: { method, pathParams: params }, score };
  }
  return best?.match;
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** `dd/MMM/yyyy:HH:mm:ss +0000`, API Gateway's `$context.requestTime`. */
function requestTime(epoch: number): string {
  const date = new Date(epoch);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()] as string}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

function contentTypeOf(headers: Readonly<Record<string, string>>): string {
  return (headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() || 'application/json';
}

/** The template for a content type, matched without case. */
function templateFor(templates: Readonly<Record<string, string>>, contentType: string): string | undefined {
  return Object.entries(templates).find(([type]) => type.toLowerCase() === contentType)?.[1];
}

/** Picks the integration response as API Gateway does for AWS and HTTP integrations: the pattern matching the whole status code, else the default. */
export function selectIntegrationResponse(responses: readonly IntegrationResponseDefinition[], statusCode: number): IntegrationResponseDefinition | undefined {
  const status = String(statusCode);
  return (
    responses.find((response) => response.selectionPattern !== undefined && new RegExp(`^(?:${response.selectionPattern})$`, 's').test(status)) ??
    responses.find((response) => response.selectionPattern === undefined)
  );
}

/** Runs requests against the platform's REST APIs. */
export class ApiGatewayEngine {
  readonly apis: readonly RestApiDefinition[];
  private readonly byId: ReadonlyMap<string, RestApiDefinition>;
  private readonly validators: ReadonlyMap<string, BodyValidator>;
  private readonly usagePlans: UsagePlans;
  private readonly clock: () => number;

  constructor(private readonly options: ApiGatewayEngineOptions) {
    this.apis = options.definition.apis;
    this.byId = new Map(this.apis.map((api) => [api.id, api]));
    this.validators = new Map(this.apis.map((api) => [api.id, new BodyValidator(api)]));
    this.clock = options.clock ?? Date.now;
    this.usagePlans = new UsagePlans(options.definition.keys, options.definition.usagePlans, this.clock);
  }

  /** The API with this id. */
  api(apiId: string): RestApiDefinition | undefined {
    return this.byId.get(apiId);
  }

  /** Answers one request; never throws (an unexpected failure is a 500 and a log line). */
  async handle(request: ApiRequest): Promise<ApiResult> {
    const requestId = randomUUID();
    const now = this.clock();
    const api = this.byId.get(request.apiId);
    const stage = api?.stages.get(request.stage);
    const params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> } = {
      path: {},
      querystring: { ...request.querystring },
      header: { ...request.headers },
    };
    const identity: Record<string, unknown> = { sourceIp: request.sourceIp, userAgent: request.headers['user-agent'] };
    const context: Record<string, unknown> = {
      accountId: this.options.accountId,
      apiId: request.apiId,
      domainName: request.headers.host,
      domainPrefix: request.headers.host?.split('.')[0],
      extendedRequestId: requestId.replace(/-/g, '').slice(0, 16),
      httpMethod: request.httpMethod,
      path: `/${request.stage}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now,
      stage: request.stage,
      identity,
      authorizer: {},
    };
    const stageVariables = stage?.variables ?? {};
    const refuse = (refusal: GatewayRefusal) =>
      gatewayResponse(api, {
        type: refusal.type,
        ...(refusal.message !== refusal.type ? { message: refusal.message } : {}),
        ...(refusal.validationErrorString !== undefined ? { validationErrorString: refusal.validationErrorString } : {}),
        params,
        context,
        stageVariables,
        ...(request.headers.accept ? { accept: request.headers.accept } : {}),
      });
    let response: ApiResponse;
    let route: RouteMatch | undefined;
    try {
      route = api && stage ? matchRoute(api, request.httpMethod, request.path) : undefined;
      if (!api || !stage || !route) throw new GatewayRefusal('MISSING_AUTHENTICATION_TOKEN');
      const { method } = route;
      params.path = { ...route.pathParams };
      context.resourcePath = method.resourcePath;
      context.resourceId = method.resourceId;
      if (method.apiKeyRequired) this.checkApiKey(api, request, method, identity);
      this.validate(api, method, request);
      response = await this.integrate(api, method, request, { params, context, stageVariables });
    } catch (error) {
      const refusal = error instanceof GatewayRefusal ? error : new GatewayRefusal('API_CONFIGURATION_ERROR');
      if (!(error instanceof GatewayRefusal)) this.options.logger.error(`${request.httpMethod} ${request.path} failed: ${(error as Error).message}`, { requestId });
      response = refuse(refusal);
      context.error = {
        message: refusal.message === refusal.type ? GATEWAY_RESPONSE_DEFAULTS[refusal.type].message : refusal.message,
        responseType: refusal.type,
        validationErrorString: refusal.validationErrorString ?? '',
      };
    }
    this.accessLog(stage?.accessLogFormat, response, context, now, params);
    return { ...response, headers: { ...response.headers, 'x-amzn-requestid': requestId, 'x-amz-apigw-id': String(context.extendedRequestId) }, requestId };
  }

  /** One line per request: the stage's access log format when it has one, as its access log would hold. */
  private accessLog(format: string | undefined, response: ApiResponse, context: Record<string, unknown>, start: number, params: RequestParams): void {
    const latency = this.clock() - start;
    const error = context.error as { validationErrorString?: string } | undefined;
    const logged = {
      ...context,
      status: response.statusCode,
      responseLength: Buffer.byteLength(response.body),
      responseLatency: latency,
      // Escaped for a JSON string, as in gateway responses.
      ...(error ? { error: { ...error, validationErrorString: JSON.stringify(error.validationErrorString ?? '').slice(1, -1) } } : {}),
    };
    const line = format
      ? substituteVariables(format, { params, context: logged })
      : `${String(context.httpMethod)} ${String(context.path)} -> ${response.statusCode} (${latency} ms)`;
    this.options.logger.info(line);
  }

  private checkApiKey(api: RestApiDefinition, request: ApiRequest, method: MethodDefinition, identity: Record<string, unknown>): void {
    const value = request.headers['x-api-key'];
    const verdict = this.usagePlans.check(value, api.id, request.stage, `${method.resourcePath}/${method.httpMethod}`);
    if (verdict.outcome !== 'ok') {
      const refusals = { 'invalid-key': 'INVALID_API_KEY', throttled: 'THROTTLED', 'quota-exceeded': 'QUOTA_EXCEEDED' } as const;
      throw new GatewayRefusal(refusals[verdict.outcome]);
    }
    identity.apiKey = verdict.key.value;
    identity.apiKeyId = verdict.key.id;
  }

  private validate(api: RestApiDefinition, method: MethodDefinition, request: ApiRequest): void {
    if (!method.validator) return;
    if (method.validator.parameters) {
      const missing = missingParameters(method, { headers: request.headers, querystring: request.querystring });
      if (missing.length > 0) throw new GatewayRefusal('BAD_REQUEST_PARAMETERS', `Missing required request parameters: [${missing.join(', ')}]`);
    }
    if (method.validator.body) {
      const validator = this.validators.get(api.id) as BodyValidator;
      const model = validator.modelFor(method, contentTypeOf(request.headers));
      if (!model) return;
      const outcome = validator.validate(model, request.body);
      if (!outcome.valid) throw new GatewayRefusal('BAD_REQUEST_BODY', undefined, outcome.validationErrorString);
    }
  }

  private async integrate(
    api: RestApiDefinition,
    method: MethodDefinition,
    request: ApiRequest,
    variables: { params: RequestParams; context: Record<string, unknown>; stageVariables: Readonly<Record<string, string>> },
  ): Promise<ApiResponse> {
    const integration = method.integration;
    if (!integration) throw new Error(`${method.httpMethod} ${method.resourcePath} of ${api.name} has no integration`);
    const integrationRequest = this.integrationRequest(integration, request, variables);
    const started = this.clock();
    const result = await this.call(integration, integrationRequest);
    variables.context.integration = { status: result.statusCode, latency: this.clock() - started, requestId: result.headers['x-amzn-requestid'] };
    const selected = selectIntegrationResponse(integration.responses, result.statusCode);
    if (!selected) {
      throw new Error(
        `Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${result.statusCode} (${integration.address})`,
      );
    }
    return this.integrationResponse(selected, result, request, variables);
  }

  private integrationRequest(
    integration: IntegrationDefinition,
    request: ApiRequest,
    variables: { params: RequestParams; context: Record<string, unknown>; stageVariables: Readonly<Record<string, string>> },
  ): IntegrationRequest {
    const contentType = contentTypeOf(request.headers);
    const template = templateFor(integration.requestTemplates, contentType);
    let body = request.body;
    if (template === undefined) {
      const hasTemplates = Object.keys(integration.requestTemplates).length > 0;
      if (integration.passthroughBehavior === 'NEVER' || (integration.passthroughBehavior === 'WHEN_NO_TEMPLATES' && hasTemplates)) {
        throw new GatewayRefusal('UNSUPPORTED_MEDIA_TYPE');
      }
    } else if (template.trim() !== '') {
      try {
        body = renderMappingTemplate(template, { body: request.body, ...variables });
      } catch (error) {
        if (error instanceof InvalidJsonPayloadError) throw new GatewayRefusal('BAD_REQUEST_BODY', error.message.split(' on $')[0]);
        throw error;
      }
    }
    // Without a mapping, API Gateway sends the method request's content type on.
    const headers: Record<string, string> = { 'content-type': template === undefined ? (request.headers['content-type'] ?? 'application/json') : contentType };
    const querystring: Record<string, string> = {};
    const extra = (expression: string) => {
      if (expression === 'method.request.body') return request.body;
      const path = /^method\.request\.body\.(.+)$/.exec(expression)?.[1];
      if (path === undefined) return undefined;
      const value = evaluateJsonPath(JSON.parse(request.body || '{}'), `$.${path}`);
      return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    };
    for (const [target, expression] of Object.entries(integration.requestParameters)) {
      const match = /^integration\.request\.(header|querystring|path)\.(.+)$/.exec(target);
      if (!match) continue;
      const value = mappedValue(expression, { ...variables, extra });
      if (value === undefined) continue;
      if (match[1] === 'header') headers[(match[2] as string).toLowerCase()] = value;
      else if (match[1] === 'querystring') querystring[match[2] as string] = value;
    }
    return { headers, querystring, body };
  }

  private async call(integration: IntegrationDefinition, request: IntegrationRequest): Promise<IntegrationResult> {
    if (integration.type === 'MOCK') {
      let statusCode = 200;
      try {
        const parsed = JSON.parse(request.body || '{}') as { statusCode?: unknown };
        if (parsed.statusCode !== undefined) statusCode = Number(parsed.statusCode);
      } catch {
        throw new Error(`MOCK integration ${integration.address}: the request template must render JSON with a statusCode`);
      }
      return { statusCode, headers: {}, body: '' };
    }
    const target = integration.type === 'AWS' && integration.uri ? sqsTarget(integration.uri, this.options.region) : undefined;
    if (!target) throw new Error(`${integration.address}: ${integration.type} integration ${integration.uri ?? ''} is not emulated by the sandbox (only SQS and MOCK)`);
    const queues = this.options.queues();
    if (!queues) throw new Error(`${integration.address} sends to SQS, but no sandbox service provides the SQS sender (is the messaging service running?)`);
    return invokeSqs(target, request, queues);
  }

  private integrationResponse(
    selected: IntegrationResponseDefinition,
    result: IntegrationResult,
    request: ApiRequest,
    variables: { params: RequestParams; context: Record<string, unknown>; stageVariables: Readonly<Record<string, string>> },
  ): ApiResponse {
    const chosen = selectTemplate(selected.responseTemplates, request.headers.accept);
    const context = { ...variables.context, status: result.statusCode };
    const body = chosen && chosen[1].trim() !== '' ? renderMappingTemplate(chosen[1], { body: result.body, params: variables.params, context, stageVariables: variables.stageVariables }) : result.body;
    const headers: Record<string, string> = { 'content-type': chosen?.[0] ?? 'application/json' };
    const extra = (expression: string) => {
      const header = /^integration\.response\.header\.(.+)$/.exec(expression)?.[1];
      if (header) return result.headers[header.toLowerCase()];
      if (expression === 'integration.response.body') return result.body;
      const path = /^integration\.response\.body\.(.+)$/.exec(expression)?.[1];
      if (path === undefined) return undefined;
      try {
        const value = evaluateJsonPath(JSON.parse(result.body) as unknown, `$.${path}`);
        return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
      } catch {
        return undefined;
      }
    };
    for (const [target, expression] of Object.entries(selected.responseParameters)) {
      const header = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
      const value = header ? mappedValue(expression, { ...variables, context, extra }) : undefined;
      if (header && value !== undefined) headers[header.toLowerCase()] = value;
    }
    return { statusCode: Number(selected.statusCode), headers, body };
  }
}
