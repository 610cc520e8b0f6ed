import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../../core/logger';
import { AuthenticationError, type GraphqlEngine } from '../contracts';
import { RealtimeConnection, type ConnectionAuth, type ConnectionSettings } from './connection';
import { connectionAuthorization, offersGraphqlWs } from './handshake';
import { GRAPHQL_WS, internalFailure } from './protocol';

/** Options of {@link attachRealtime}. */
export interface RealtimeOptions {
  /** The real-time path, e.g. `/graphql/realtime` (AppSync's custom-domain form, which Amplify derives from any non-AppSync endpoint). */
  readonly path: string;
  readonly logger: Logger;
  /** Interval of `ka` messages. @default 60000 */
  readonly keepAliveMs?: number;
  /** `connectionTimeoutMs` announced in `connection_ack`: how long a client waits for a `ka`. @default 300000 */
  readonly connectionTimeoutMs?: number;
  /** Subscriptions one connection may hold. @default 100 */
  readonly maxSubscriptionsPerConnection?: number;
  /** Lifetime after which AppSync closes a connection. @default 86400000 (24 hours) */
  readonly maxConnectionMs?: number;
  /** The GraphQL path clients sign: `<graphqlPath>/connect` to connect, `<graphqlPath>` for a start. @default `path` without its trailing `/realtime` */
  readonly graphqlPath?: string;
}

/** The running real-time endpoint. */
export interface RealtimeServer {
  /** Open WebSocket connections (refused ones included until they close). */
  readonly connections: number;
  /** Subscriptions that got a `start_ack` and are not stopped. */
  readonly subscriptions: number;
  /** Stops accepting upgrades, closes every socket and stops every timer; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Serves AppSync's real-time WebSocket protocol on `options.path` of an HTTP(S) server. Upgrades to other
 * paths are left alone, so other upgrade handlers can share the server; TLS (wss) comes from an https server.
 */
export function attachRealtime(server: HttpServer | HttpsServer, engine: GraphqlEngine, options: RealtimeOptions): RealtimeServer {
  const settings = resolveSettings(engine, options);
  const { logger } = options;
  const connections = new Set<RealtimeConnection>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(GRAPHQL_WS) ? GRAPHQL_WS : false),
  });
  const stopListening = engine.onMutation((event) => {
    for (const connection of connections) connection.deliver(event);
  });
  let closed = false;

  const accept = async (request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on('error', () => socket.destroy());
    if (!offersGraphqlWs(request)) {
      logger.warn('Real-time upgrade refused: no graphql-ws subprotocol', { offered: request.headers['sec-websocket-protocol'] ?? null });
      rejectBadRequest(socket, 'The graphql-ws WebSocket subprotocol is required');
      return;
    }
    const sourceIp = request.socket.remoteAddress ?? 'unknown';
    const auth = await authenticateConnection(request, sourceIp);
    if (closed || socket.destroyed) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      connections.add(new RealtimeConnection(ws, auth, settings, { sourceIp, host: request.headers.host }, (connection) => connections.delete(connection)));
    });
  };

  const authenticateConnection = async (request: IncomingMessage, sourceIp: string): Promise<ConnectionAuth> => {
    const authorization = connectionAuthorization(request);
    if ('errorType' in authorization) return { error: { ...authorization, errorCode: 400 } };
    try {
      const caller = await engine.authenticate({
        headers: authorization.headers,
        method: 'POST',
        path: `${settings.graphqlPath}/connect`,
        body: authorization.body,
        sourceIp,
      });
      return { caller };
    } catch (error) {
      if (error instanceof AuthenticationError) return { error: { errorType: error.errorType, message: error.message, errorCode: 401 } };
      logger.error('Real-time connection authentication failed inside the sandbox', { error: error instanceof Error ? error.message : String(error) });
      return { error: { ...internalFailure(), errorCode: 500 } };
    }
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (closed || new URL(request.url ?? '/', 'http://localhost').pathname !== options.path) return;
    void accept(request, socket, head).catch((error: unknown) => {
      logger.error('Real-time upgrade failed', { error: error instanceof Error ? error.message : String(error) });
      socket.destroy();
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    get connections() {
      return connections.size;
    },
    get subscriptions() {
      let count = 0;
      for (const connection of connections) count += connection.activeSubscriptions;
      return count;
    },
    async close() {
      if (closed) return;
      closed = true;
      server.off('upgrade', onUpgrade);
      stopListening();
      await Promise.all([...connections].map((connection) => connection.close()));
      connections.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function resolveSettings(engine: GraphqlEngine, options: RealtimeOptions): ConnectionSettings {
  const keepAliveMs = options.keepAliveMs ?? 60_000;
  const connectionTimeoutMs = options.connectionTimeoutMs ?? 300_000;
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? 100;
  const maxConnectionMs = options.maxConnectionMs ?? 24 * 60 * 60 * 1000;
  const graphqlPath = options.graphqlPath ?? options.path.replace(/\/realtime$/, '');

  const problems: string[] = [];
  if (!options.path.startsWith('/')) problems.push(`path must start with "/" (got "${options.path}")`);
  if (graphqlPath === options.path || !graphqlPath.startsWith('/')) {
    problems.push(`graphqlPath is required when path does not end with "/realtime" (got path "${options.path}")`);
  }
  for (const [name, value] of Object.entries({ keepAliveMs, connectionTimeoutMs, maxSubscriptionsPerConnection: maxSubscriptions, maxConnectionMs })) {
    // Node timers hold at most 2^31-1 ms; a longer one fires at once.
    if (!Number.isInteger(value) || value <= 0 || value > 2_147_483_647) problems.push(`${name} must be an integer from 1 to 2147483647 (got ${value})`);
  }
  if (keepAliveMs >= connectionTimeoutMs) {
    problems.push(`keepAliveMs (${keepAliveMs}) must be below connectionTimeoutMs (${connectionTimeoutMs}), or clients time out between keep-alives`);
  }
  if (problems.length > 0) throw new Error(`Invalid real-time options:\n- ${problems.join('\n- ')}`);

  return { engine, logger: options.logger, keepAliveMs, connectionTimeoutMs, maxSubscriptions, maxConnectionMs, graphqlPath };
}

function rejectBadRequest(socket: Duplex, message: string): void {
  socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}
