// Gateway responses: what API Gateway answers when it refuses a request itself (no route, bad key,
// throttled, invalid body...). An API's `aws_api_gateway_gateway_response` of the type wins, then its
// DEFAULT_4XX/DEFAULT_5XX, then API Gateway's built-in answer `{"message":$context.error.messageString}`.
// Their templates are not Velocity: API Gateway only substitutes variables in them.
import type { GatewayResponseDefinition, RestApiDefinition } from './definition';
import type { RequestParams } from './vtl';

/** Gateway response types the sandbox produces, with API Gateway's default status, message and error type. */
export const GATEWAY_RESPONSE_DEFAULTS = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters', errorType: 'BadRequestException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLongException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', errorType: 'InternalServerErrorException' },
} as const;

/** A gateway response type the sandbox produces. */
export type GatewayResponseType = keyof typeof GATEWAY_RESPONSE_DEFAULTS;

/** An HTTP answer of the API. */
export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a gateway response template and its parameters can read. */
export interface GatewayResponseInput {
  readonly type: GatewayResponseType;
  /** Overrides the default message, e.g. the missing parameters. */
  readonly message?: string;
  readonly validationErrorString?: string;
  readonly params: RequestParams;
  readonly context: Readonly<Record<string, unknown>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  readonly accept?: string;
}

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** Picks the template for the client's Accept header, then `application/json`, then the first one. */
export function selectTemplate(templates: Readonly<Record<string, string>>, accept: string | undefined): [string, string] | undefined {
  const entries = Object.entries(templates);
  if (entries.length === 0) return undefined;
  const wanted = (accept ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase())
    .filter((part): part is string => Boolean(part));
  for (const type of wanted) {
    const found = entries.find(([contentType]) => contentType.toLowerCase() === type);
    if (found) return found;
  }
  return entries.find(([contentType]) => contentType.toLowerCase() === 'application/json') ?? entries[0];
}

/** A parameter mapping's value: `'literal'`, `method.request.header.X`, `context.x`, `stageVariables.x`... */
export function mappedValue(
  expression: string,
  sources: { params: RequestParams; context: Readonly<Record<string, unknown>>; stageVariables?: Readonly<Record<string, string>>; extra?: (expression: string) => string | undefined },
): string | undefined {
  if (/^'.*'$/s.test(expression)) return expression.slice(1, -1);
  const request = /^method\.request\.(header|querystring|multivaluequerystring|path)\.(.+)$/.exec(expression);
  if (request) {
    const [, location, name] = request as unknown as [string, string, string];
    if (location === 'header') {
      const lower = name.toLowerCase();
      return Object.entries(sources.params.header).find(([header]) => header.toLowerCase() === lower)?.[1];
    }
    return location === 'path' ? sources.params.path[name] : sources.params.querystring[name];
  }
  if (expression.startsWith('context.')) {
    let current: unknown = sources.context;
    for (const part of expression.slice('context.'.length).split('.')) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
    return current === undefined || current === null ? undefined : String(current);
  }
  if (expression.startsWith('stageVariables.')) return sources.stageVariables?.[expression.slice('stageVariables.'.length)];
  return sources.extra?.(expression);
}

/**
 * A gateway response template with its variables substituted: `$context.a.b`, `${context.a.b}`,
 * `$stageVariables.x` and `$input.params('name')`; a missing value is empty and nothing else is evaluated.
 */
export function substituteVariables(
  template: string,
  sources: { params: RequestParams; context: Readonly<Record<string, unknown>>; stageVariables?: Readonly<Record<string, string>> },
): string {
  const text = (value: string | undefined) => value ?? '';
  return template
    .replace(/\$input\.params\(\s*'([^']*)'\s*\)/g, (_match, name: string) =>
      text(sources.params.path[name] ?? sources.params.querystring[name] ?? mappedValue(`method.request.header.${name}`, sources)),
    )
    .replace(/\$\{(context|stageVariables)((?:\.\w+)+)\}|\$(context|stageVariables)((?:\.\w+)+)/g, (_match, braced: string, bracedPath: string, plain: string, plainPath: string) =>
      text(mappedValue(`${braced ?? plain}${bracedPath ?? plainPath}`, sources)),
    );
}

/** Renders the gateway response of `input.type` for an API (or API Gateway's default when no API matched). */
export function gatewayResponse(api: RestApiDefinition | undefined, input: GatewayResponseInput): ApiResponse {
  const defaults = GATEWAY_RESPONSE_DEFAULTS[input.type];
  const configured: GatewayResponseDefinition | undefined =
    api?.gatewayResponses.get(input.type) ?? api?.gatewayResponses.get(defaults.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
  const status = configured?.responseType === input.type && configured.statusCode ? Number(configured.statusCode) : defaults.status;
  const message = input.message ?? defaults.message;
  const context = {
    ...input.context,
    error: {
      message,
      messageString: JSON.stringify(message),
      responseType: input.type,
      // Escaped for a JSON string, so `"$context.error.validationErrorString"` stays valid JSON.
      validationErrorString: JSON.stringify(input.validationErrorString ?? '').slice(1, -1),
    },
  };
  const [contentType, template] = selectTemplate(configured?.responseTemplates ?? {}, input.accept) ?? ['application/json', DEFAULT_TEMPLATE];
  const body = substituteVariables(template, { params: input.params, context, ...(input.stageVariables ? { stageVariables: input.stageVariables } : {}) });
  const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-errortype': defaults.errorType };
  for (const [target, expression] of Object.entries(configured?.responseParameters ?? {})) {
    const header = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    const value = header ? mappedValue(expression, { params: input.params, context, ...(input.stageVariables ? { stageVariables: input.stageVariables } : {}) }) : undefined;
    if (header && value !== undefined) headers[header.toLowerCase()] = value;
  }
  return { statusCode: status, headers, body };
}
