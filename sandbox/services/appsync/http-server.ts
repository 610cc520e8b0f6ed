// AppSync's HTTP front door: POST (and GET) /graphql over HTTPS, and over plain HTTP for curl. Bodies are
// JSON whatever the content type (AppSync's own curl example sends JSON as application/graphql).
// Credentials that fit no enabled mode get 401 (403 for a bad SigV4 signature, as AWS answers);
// everything else answers 200 with GraphQL errors, as AppSync does. The real-time server attaches to the
// same servers' `upgrade` events; the web console can be served with addStaticRoute.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, resolve } from 'node:path';
import type { Logger } from '../../core/logger';
import { AuthenticationError, type GraphqlEngine, type GraphqlRequest } from './contracts';

/** Options of {@link AppSyncHttpServer.start}. */
export interface AppSyncHttpServerOptions {
  readonly engine: GraphqlEngine;
  /** Address both servers bind to. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly httpsPort: number;
  /** 0 picks a free port. */
  readonly httpPort: number;
  /** PEM server certificate and key for HTTPS. */
  readonly tls: { readonly cert: string; readonly key: string };
  /** Largest request body accepted. @default 1 MiB */
  readonly bodyLimitBytes?: number;
  readonly logger?: Logger;
}

const GRAPHQL_PATH = '/graphql';

/** Headers every answer carries, so the browser console can call the API from another origin. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256, x-api-key',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, date',
  'access-control-max-age': '86400',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]])));
}

function sourceIp(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpProblem(413, 'PayloadTooLargeException', `Request body is larger than ${limit} bytes.`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A GraphQL request from a JSON body, or AppSync's 400 for a body it cannot read. */
function graphqlRequestFromBody(body: string): GraphqlRequest {
  if (body.trim() === '') throw new HttpProblem(400, 'MalformedHttpRequestException', 'Request body is empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpProblem(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.');
  }
  return graphqlRequest(isRecord(parsed) ? parsed : {});
}

function graphqlRequest(fields: Record<string, unknown>): GraphqlRequest {
  const { query, variables, operationName } = fields;
  if (typeof query !== 'string' || query.trim() === '') throw new HttpProblem(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.');
  if (variables !== undefined && variables !== null && !isRecord(variables)) throw new HttpProblem(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.');
  return {
    query,
    ...(isRecord(variables) ? { variables } : {}),
    ...(typeof operationName === 'string' ? { operationName } : {}),
  };
}

function graphqlRequestFromQueryString(url: URL): GraphqlRequest {
  let variables: unknown;
  try {
    variables = url.searchParams.has('variables') ? JSON.parse(url.searchParams.get('variables') as string) : undefined;
  } catch {
    throw new HttpProblem(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.');
  }
  return graphqlRequest({ query: url.searchParams.get('query') ?? undefined, variables, operationName: url.searchParams.get('operationName') ?? undefined });
}

/** The HTTPS and HTTP servers of the sandbox's AppSync endpoint. */
export class AppSyncHttpServer {
  /** Attach the real-time WebSocket handler to `https.on('upgrade', ...)` (and `http` for ws://). */
  readonly https: HttpsServer;
  readonly http: HttpServer;
  private readonly staticRoutes: { prefix: string; dir: string }[] = [];
  private readonly logger: Logger | undefined;
  private closed = false;

  private constructor(private readonly options: AppSyncHttpServerOptions) {
    this.logger = options.logger;
    const handler = (request: IncomingMessage, response: ServerResponse) => {
      this.handle(request, response).catch((error: unknown) => {
        this.logger?.error(`Unhandled error answering ${request.method} ${request.url}: ${(error as Error).message}`);
        if (!response.headersSent) this.json(response, 500, { errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }] });
        else response.end();
      });
    };
    this.https = createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
    this.http = createHttpServer(handler);
  }

  /** Starts both servers; a port already in use fails with a message naming it. */
  static async start(options: AppSyncHttpServerOptions): Promise<AppSyncHttpServer> {
    const server = new AppSyncHttpServer(options);
    try {
      await listen(server.https, options.host, options.httpsPort, 'httpsPort');
      await listen(server.http, options.host, options.httpPort, 'httpPort');
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** The bound HTTPS port (useful when started on port 0). */
  get httpsPort(): number {
    return (this.https.address() as AddressInfo).port;
  }

  /** The bound HTTP port. */
  get httpPort(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** Serves the files under `dir` at `prefix` (GET and HEAD), e.g. a web console at `/console`. */
  addStaticRoute(prefix: string, dir: string): void {
    const normalized = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
    if (normalized === GRAPHQL_PATH || normalized.startsWith(`${GRAPHQL_PATH}/`)) throw new Error(`Static route ${normalized} would shadow the GraphQL endpoint`);
    this.staticRoutes.push({ prefix: normalized, dir: resolve(dir) });
    this.staticRoutes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Stops both servers and drops open connections; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      [this.https, this.http].map(
        (server) =>
          new Promise<void>((done) => {
            if (!server.listening) return done();
            server.close(() => done());
            server.closeAllConnections();
          }),
      ),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === GRAPHQL_PATH || url.pathname === `${GRAPHQL_PATH}/`) {
      await this.graphql(request, response, url);
      return;
    }
    const route = this.staticRoutes.find(({ prefix }) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`) || prefix === '/');
    if (route && (request.method === 'GET' || request.method === 'HEAD')) {
      this.serveFile(response, route, url.pathname, request.method === 'HEAD');
      return;
    }
    this.json(response, 404, { errors: [{ errorType: 'NotFoundException', message: `Nothing is served at ${url.pathname}` }] });
  }

  private async graphql(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method === 'OPTIONS') {
      response.writeHead(200, { ...CORS_HEADERS, 'content-length': '0' });
      response.end();
      return;
    }
    if (request.method !== 'POST' && request.method !== 'GET') {
      this.json(response, 405, { errors: [{ errorType: 'MethodNotAllowedException', message: `${request.method} is not supported on ${GRAPHQL_PATH}; use POST` }] }, { allow: 'GET, POST, OPTIONS' });
      return;
    }
    const headers = flatHeaders(request);
    try {
      const body = request.method === 'POST' ? await readBody(request, this.options.bodyLimitBytes ?? 1024 * 1024) : '';
      const graphqlRequest = request.method === 'POST' ? graphqlRequestFromBody(body) : graphqlRequestFromQueryString(url);
      const caller = await this.options.engine.authenticate({ headers, method: request.method, path: request.url ?? GRAPHQL_PATH, body, sourceIp: sourceIp(request) });
      this.json(response, 200, await this.options.engine.execute(graphqlRequest, caller, headers));
    } catch (error) {
      if (error instanceof HttpProblem) {
        this.json(response, error.status, { errors: [{ message: error.message, errorType: error.errorType }] }, { 'x-amzn-errortype': error.errorType });
      } else if (error instanceof AuthenticationError) {
        const status = error.errorType === 'UnauthorizedException' ? 401 : 403;
        this.json(response, status, { errors: [{ errorType: error.errorType, message: error.message }] }, { 'x-amzn-errortype': error.errorType });
      } else {
        throw error;
      }
    }
  }

  private serveFile(response: ServerResponse, route: { prefix: string; dir: string }, pathname: string, headOnly: boolean): void {
    const rest = decodeURIComponent(pathname.slice(route.prefix === '/' ? 1 : route.prefix.length)).replace(/^\/+/, '');
    let file = resolve(join(route.dir, rest));
    const inside = relative(route.dir, file);
    if (inside.startsWith('..') || resolve(route.dir, inside) !== file) {
      this.json(response, 404, { errors: [{ errorType: 'NotFoundException', message: `Nothing is served at ${pathname}` }] });
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      this.json(response, 404, { errors: [{ errorType: 'NotFoundException', message: `Nothing is served at ${pathname}` }] });
      return;
    }
    const content = readFileSync(file);
    response.writeHead(200, { ...CORS_HEADERS, 'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': String(content.length) });
    response.end(headOnly ? undefined : content);
  }

  private json(response: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      ...CORS_HEADERS,
      'content-type': 'application/json; charset=UTF-8',
      'content-length': String(Buffer.byteLength(text)),
      'x-amzn-requestid': randomUUID(),
      ...extra,
    });
    response.end(text);
  }
}

function listen(server: HttpServer | HttpsServer, host: string, port: number, option: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is in use; give the AppSync service another ${option} (appSyncService({ ${option}: ... }))`)
          : new Error(`Cannot listen on ${host}:${port}: ${error.message}`),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolveListen();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
