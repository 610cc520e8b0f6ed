import type { DataSourceResponse } from '../../../runtime/appsync';
import type { DataSourceDefinition, DataSourceHandler } from '../appsync/data-source';

/** The request object an APPSYNC_JS resolver returns for an HTTP data source. */
interface HttpRequest {
  method?: string;
  resourcePath?: string;
  params?: { headers?: Record<string, string>; query?: Record<string, string | number | boolean>; body?: unknown };
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * AppSync's HTTP data source: `{ method, resourcePath, params: { headers, query, body } }` against the data
 * source's `http_config.endpoint`, answering `{ statusCode, headers, body }` (body as text) like AppSync; a
 * network failure is a data source error. The sandbox's network is loopback only, so only local endpoints
 * answer. SigV4 signing (`authorization_config`) is not applied.
 */
export function httpDataSource(definition: DataSourceDefinition, fetcher: typeof fetch = fetch): DataSourceHandler {
  const config = (definition.config.http_config ?? {}) as { endpoint?: string };
  const endpoint = config.endpoint;
  return async (raw): Promise<DataSourceResponse> => {
    const request = (raw ?? {}) as HttpRequest;
    const method = String(request.method ?? 'GET').toUpperCase();
    if (!endpoint) return { error: { message: `Data source ${definition.name} has no http_config.endpoint`, type: 'MappingTemplate' } };
    if (!METHODS.has(method)) return { error: { message: `method must be one of ${[...METHODS].join(', ')}, not ${method}`, type: 'MappingTemplate' } };
    if (!request.resourcePath || !request.resourcePath.startsWith('/')) {
      return { error: { message: 'resourcePath must start with /', type: 'MappingTemplate' } };
    }
    const url = new URL(request.resourcePath, endpoint);
    for (const [name, value] of Object.entries(request.params?.query ?? {})) url.searchParams.set(name, String(value));
    const body = request.params?.body;
    try {
      const response = await fetcher(url, {
        method,
        headers: request.params?.headers,
        body: body === undefined || body === null || method === 'GET' || method === 'HEAD' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { result: { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: await response.text() } };
    } catch (error) {
      return { error: { message: `${method} ${url.toString()} failed: ${(error as Error).message}`, type: 'HTTP:ConnectionError' } };
    }
  };
}
