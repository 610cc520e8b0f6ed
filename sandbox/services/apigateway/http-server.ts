// API Gateway's HTTP front door. A request reaches a stage of an API by any of:
// - `/restapis/<apiId>/<stage>/_user_request_/<path>` (LocalStack's path style; the stages' invoke_url),
// - a `Host: <apiId>.execute-api.<anything>` header and `/<stage>/<path>`,
// - `/<stage>/<path>` when exactly one API has a stage of that name (the friendly form for curl).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/logger';
import type { ApiGatewayEngine, ApiRequest } from './engine';
import { gatewayResponse } from './gateway-responses';

/** API Gateway's payload limit. */
const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** Where a URL points: an API's stage and the path inside it. */
export interface StageAddress {
  readonly apiId: string;
  readonly stage: string;
  readonly path: string;
}

/** Resolves a request URL (and Host header) to an API stage, or undefined when it names none. */
export function addressOf(engine: Pick<ApiGatewayEngine, 'apis'>, pathname: string, host: string | undefined): StageAddress | undefined {
  const pathStyle = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(pathname);
  if (pathStyle) return { apiId: pathStyle[1] as string, stage: pathStyle[2] as string, path: pathStyle[3] ?? '/' };
  const [, stage = '', ...rest] = pathname.split('/');
  const path = `/${rest.join('/')}`;
  const hostApi = /^([a-z0-9]+)\.execute-api\./i.exec(host ?? '')?.[1];
  if (hostApi) return { apiId: hostApi.toLowerCase(), stage, path };
  const owners = engine.apis.filter((api) => api.stages.has(stage));
  return owners.length === 1 ? { apiId: (owners[0] as (typeof owners)[number]).id, stage, path } : undefined;
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, statusCode: number, headers: Readonly<Record<string, string>>, body: string): void {
  response.writeHead(statusCode, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** The HTTP server in front of an {@link ApiGatewayEngine}. */
export class ApiGatewayHttpServer {
  private constructor(
    private readonly server: Server,
    /** `http://host:port`. */
    readonly endpoint: string,
  ) {}

  /** Listens on host:port (0 picks a free port). */
  static async start(options: { engine: ApiGatewayEngine; host: string; port: number; logger: Logger }): Promise<ApiGatewayHttpServer> {
    const { engine, logger } = options;
    const server = createServer((request, response) => {
      void handle(engine, request, response).catch((error: Error) => {
        logger.error(`Request ${request.method ?? ''} ${request.url ?? ''} failed: ${error.message}`);
        if (!response.headersSent) send(response, 500, { 'content-type': 'application/json' }, '{"message":"Internal server error"}');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return new ApiGatewayHttpServer(server, `http://${host}:${port}`);
  }

  /** The port actually bound. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting requests and closes idle connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function handle(engine: ApiGatewayEngine, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const headers = Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]])),
  );
  const address = addressOf(engine, url.pathname, headers.host);
  const params = { path: {}, querystring: Object.fromEntries(url.searchParams), header: headers };
  if (!address) {
    const refused = gatewayResponse(undefined, { type: 'MISSING_AUTHENTICATION_TOKEN', params, context: {} });
    send(response, refused.statusCode, refused.headers, refused.body);
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    const refused = gatewayResponse(engine.api(address.apiId), { type: 'REQUEST_TOO_LARGE', params, context: {} });
    send(response, refused.statusCode, refused.headers, refused.body);
    return;
  }
  const apiRequest: ApiRequest = {
    ...address,
    httpMethod: (request.method ?? 'GET').toUpperCase(),
    // A repeated query parameter maps to its last value, as method.request.querystring does.
    querystring: Object.fromEntries(url.searchParams),
    headers,
    body,
    sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
  };
  const result = await engine.handle(apiRequest);
  send(response, result.statusCode, result.headers, result.body);
}
