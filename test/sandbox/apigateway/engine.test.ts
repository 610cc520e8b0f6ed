import { createLogger } from '../../../sandbox/core/logger';
import {
  ApiGatewayEngine,
  gatewayResponse,
  matchRoute,
  selectIntegrationResponse,
  type ApiRequest,
  type IntegrationResponseDefinition,
  type MethodDefinition,
  type RestApiDefinition,
} from '../../../sandbox/services/apigateway';

function method(httpMethod: string, resourcePath: string, extra: Partial<MethodDefinition> = {}): MethodDefinition {
  return {
    address: `${httpMethod} ${resourcePath}`,
    resourceId: resourcePath,
    resourcePath,
    httpMethod,
    authorization: 'NONE',
    apiKeyRequired: false,
    requestParameters: {},
    requestModels: {},
    methodResponses: ['200'],
    integration: {
      address: `integration ${httpMethod} ${resourcePath}`,
      type: 'MOCK',
      requestParameters: {},
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      responses: [{ statusCode: '200', responseParameters: {}, responseTemplates: { 'application/json': `{"route": "${httpMethod} ${resourcePath}", "params": $input.json('$'), "id": "$input.params('id')", "proxy": "$input.params('proxy')"}` } }],
    },
    ...extra,
  };
}

function api(methods: MethodDefinition[], extra: Partial<RestApiDefinition> = {}): RestApiDefinition {
  return {
    address: 'test:aws_api_gateway_rest_api.api',
    id: 'api0000001',
    name: 'test',
    rootResourceId: 'root',
    methods,
    models: new Map(),
    gatewayResponses: new Map(),
    stages: new Map([['live', { name: 'live', variables: { color: 'blue' } }]]),
    ...extra,
  };
}

const ROUTES = api([
  method('GET', '/'),
  method('GET', '/orders'),
  method('ANY', '/orders'),
  method('GET', '/orders/{id}'),
  method('GET', '/orders/latest'),
  method('GET', '/files/{proxy+}'),
  method('GET', '/{proxy+}'),
]);

describe('matchRoute', () => {
  const route = (httpMethod: string, path: string) => {
    const found = matchRoute(ROUTES, httpMethod, path);
    return found ? [`${found.method.httpMethod} ${found.method.resourcePath}`, found.pathParams] : undefined;
  };

  it('prefers literal segments, then {param}, then {proxy+}, and a method over ANY', () => {
    expect(route('GET', '/')).toEqual(['GET /', {}]);
    expect(route('GET', '/orders')).toEqual(['GET /orders', {}]);
    expect(route('DELETE', '/orders/')).toEqual(['ANY /orders', {}]);
    expect(route('GET', '/orders/latest')).toEqual(['GET /orders/latest', {}]);
    expect(route('GET', '/orders/PO%2D7')).toEqual(['GET /orders/{id}', { id: 'PO-7' }]);
    expect(route('GET', '/files/a/b.txt')).toEqual(['GET /files/{proxy+}', { proxy: 'a/b.txt' }]);
    expect(route('GET', '/anything/else')).toEqual(['GET /{proxy+}', { proxy: 'anything/else' }]);
  });

  it('finds nothing for a method no resource has', () => {
    expect(route('POST', '/orders/7')).toBeUndefined();
  });
});

describe('selectIntegrationResponse', () => {
  const responses: IntegrationResponseDefinition[] = [
    { statusCode: '202', selectionPattern: '2\\d{2}', responseParameters: {}, responseTemplates: {} },
    { statusCode: '400', selectionPattern: '4\\d{2}', responseParameters: {}, responseTemplates: {} },
    { statusCode: '500', responseParameters: {}, responseTemplates: {} },
  ];

  it('matches the selection pattern against the whole status code, else takes the default', () => {
    expect(selectIntegrationResponse(responses, 200)?.statusCode).toBe('202');
    expect(selectIntegrationResponse(responses, 404)?.statusCode).toBe('400');
    expect(selectIntegrationResponse(responses, 503)?.statusCode).toBe('500');
    expect(selectIntegrationResponse([{ statusCode: '200', selectionPattern: '2', responseParameters: {}, responseTemplates: {} }], 200)).toBeUndefined();
  });
});

describe('ApiGatewayEngine', () => {
  const logs: string[] = [];
  const engine = new ApiGatewayEngine({
    definition: { apis: [ROUTES], keys: [], usagePlans: [], limitations: [] },
    region: 'eu-west-1',
    accountId: '111122223333',
    queues: () => undefined,
    logger: createLogger('apigateway', (line) => logs.push(line.message)),
  });
  const request = (overrides: Partial<ApiRequest>): ApiRequest => ({
    apiId: 'api0000001',
    stage: 'live',
    httpMethod: 'GET',
    path: '/',
    querystring: {},
    headers: {},
    body: '',
    sourceIp: '127.0.0.1',
    ...overrides,
  });

  it('answers a MOCK route through its template with path and proxy parameters', async () => {
    const result = await engine.handle(request({ path: '/orders/7' }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ route: 'GET /orders/{id}', params: {}, id: '7', proxy: '' });
    expect(result.headers['x-amzn-requestid']).toBe(result.requestId);
    expect(logs.at(-1)).toMatch(/^GET \/live\/orders\/7 -> 200 \(\d+ ms\)$/);
  });

  it('answers an unknown stage or API with Missing Authentication Token', async () => {
    for (const overrides of [{ stage: 'prod' }, { apiId: 'nope' }]) {
      const result = await engine.handle(request(overrides));
      expect([result.statusCode, JSON.parse(result.body)]).toEqual([403, { message: 'Missing Authentication Token' }]);
    }
  });
});

describe('gatewayResponse', () => {
  const params = { path: {}, querystring: { q: 'x' }, header: { 'X-Trace': 'trace-1' } };
  const withResponses = (entries: [string, Partial<{ statusCode: string; responseParameters: Record<string, string>; responseTemplates: Record<string, string> }>][]) =>
    api([], {
      gatewayResponses: new Map(entries.map(([type, definition]) => [type, { responseType: type, responseParameters: {}, responseTemplates: {}, ...definition }])),
    });

  it("answers API Gateway's default body without a configured response", () => {
    expect(gatewayResponse(undefined, { type: 'THROTTLED', params, context: {} })).toEqual({
      statusCode: 429,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
      body: '{"message":"Too Many Requests"}',
    });
  });

  it('uses the type, then DEFAULT_4XX, substituting variables (not Velocity) and mapping headers', () => {
    const configured = withResponses([
      ['INVALID_API_KEY', { statusCode: '401', responseTemplates: { 'application/json': '{"error": $context.error.messageString, "type": "$context.error.responseType", "q": "$input.params(\'q\')", "color": "$stageVariables.color"}' } }],
      ['DEFAULT_4XX', { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'", 'gatewayresponse.header.X-Trace': 'method.request.header.x-trace' }, responseTemplates: { 'application/json': '#if(1)velocity#end $context.error.message' } }],
    ]);
    const invalid = gatewayResponse(configured, { type: 'INVALID_API_KEY', params, context: {}, stageVariables: { color: 'blue' } });
    expect([invalid.statusCode, JSON.parse(invalid.body)]).toEqual([401, { error: 'Forbidden', type: 'INVALID_API_KEY', q: 'x', color: 'blue' }]);

    const throttled = gatewayResponse(configured, { type: 'THROTTLED', params, context: {} });
    expect(throttled).toEqual({
      statusCode: 429,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException', 'access-control-allow-origin': '*', 'x-trace': 'trace-1' },
      body: '#if(1)velocity#end Too Many Requests',
    });
  });

  it('escapes the validation error string for a JSON string', () => {
    const configured = withResponses([['BAD_REQUEST_BODY', { responseTemplates: { 'application/json': '{"problems": "$context.error.validationErrorString"}' } }]]);
    const response = gatewayResponse(configured, { type: 'BAD_REQUEST_BODY', validationErrorString: '[object has missing required properties (["a"])]', params, context: {} });
    expect(JSON.parse(response.body)).toEqual({ problems: '[object has missing required properties (["a"])]' });
  });
});
