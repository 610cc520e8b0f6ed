import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Logger } from '../../../core/logger';
import {
  AuthenticationError,
  type AcceptedSubscription,
  type Caller,
  type GraphqlEngine,
  type MutationPublished,
} from '../contracts';
import { normalizeHeaders } from './handshake';
import {
  duplicatedOperation,
  internalFailure,
  maxSubscriptionsReached,
  parseClientMessage,
  parseStartData,
  type RealtimeError,
  type ServerMessage,
} from './protocol';

/** Settings one connection runs with, resolved from the server options. */
export interface ConnectionSettings {
  readonly engine: GraphqlEngine;
  readonly logger: Logger;
  readonly keepAliveMs: number;
  readonly connectionTimeoutMs: number;
  readonly maxSubscriptions: number;
  readonly maxConnectionMs: number;
  /** The path a client signs for a start, e.g. `/graphql`. */
  readonly graphqlPath: string;
}

/** Who opened the connection, or why the connection is refused. */
export type ConnectionAuth = { readonly caller: Caller } | { readonly error: RealtimeError };

type SubscriptionEntry = { readonly state: 'pending' } | { readonly state: 'active'; readonly subscription: AcceptedSubscription };

/** One client WebSocket speaking AppSync's real-time protocol. */
export class RealtimeConnection {
  readonly id = randomUUID();
  private readonly subscriptions = new Map<string, SubscriptionEntry>();
  private readonly timers: NodeJS.Timeout[] = [];
  private keepAlive?: NodeJS.Timeout;
  private refused = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly auth: ConnectionAuth,
    private readonly settings: ConnectionSettings,
    private readonly client: { readonly sourceIp: string; readonly host?: string },
    onClosed: (connection: RealtimeConnection) => void,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(isBinary ? undefined : data.toString()));
    socket.on('error', (error) => settings.logger.warn('Real-time socket error', { connectionId: this.id, error: error.message }));
    socket.on('close', (code) => {
      for (const timer of this.timers) clearTimeout(timer);
      if (this.keepAlive) clearInterval(this.keepAlive);
      const subscriptions = this.subscriptions.size;
      this.subscriptions.clear();
      settings.logger.info('Real-time connection closed', { connectionId: this.id, code, subscriptions });
      onClosed(this);
    });

    if ('error' in auth) {
      // The refusal answers the client's first message (normally connection_init): sent the moment the
      // socket opens it can reach a client before its message handler is attached, and look like a silent close.
      this.timer(settings.connectionTimeoutMs, () => this.refuse(auth.error));
    } else {
      settings.logger.info('Real-time connection opened', { connectionId: this.id, sourceIp: client.sourceIp, mode: auth.caller.mode });
      this.timer(settings.maxConnectionMs, () => socket.close(1000, 'Connection lifetime exceeded'));
    }
  }

  /** Active subscriptions, for counts. */
  get activeSubscriptions(): number {
    let count = 0;
    for (const entry of this.subscriptions.values()) if (entry.state === 'active') count += 1;
    return count;
  }

  /** Sends a published mutation to every active subscription it feeds and whose filters match. */
  deliver(event: MutationPublished): void {
    for (const [id, entry] of this.subscriptions) {
      if (entry.state !== 'active' || !entry.subscription.mutations.includes(event.fieldName)) continue;
      try {
        if (!entry.subscription.matches(event.fieldName, event.payload)) continue;
        this.send({ type: 'data', id, payload: entry.subscription.shape(event.payload) });
      } catch (error) {
        this.settings.logger.error('Could not deliver a mutation to a subscription', {
          connectionId: this.id,
          subscriptionId: id,
          mutation: event.fieldName,
          error: messageOf(error),
        });
      }
    }
  }

  /** Closes the socket, e.g. when the server shuts down; resolves once it is closed. */
  close(code = 1001, reason = 'Server shutting down'): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => this.socket.terminate(), 1000);
      this.socket.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      this.socket.close(code, reason);
    });
  }

  private onMessage(text: string | undefined): void {
    if ('error' in this.auth) {
      this.refuse(this.auth.error);
      return;
    }
    if (text === undefined) {
      this.send({ type: 'error', payload: { errors: [{ errorType: 'BadRequestException', message: 'Binary messages are not supported' }] } });
      return;
    }
    const message = parseClientMessage(text);
    switch (message.type) {
      case 'connection_init':
        this.send({ type: 'connection_ack', payload: { connectionTimeoutMs: this.settings.connectionTimeoutMs } });
        this.startKeepAlive();
        return;
      case 'start':
        void this.start(message.id, message.data, message.authorization);
        return;
      case 'stop':
        this.stop(message.id);
        return;
      case 'invalid':
        this.send({ type: 'error', ...(message.id ? { id: message.id } : {}), payload: { errors: [message.error] } });
        return;
    }
  }

  private async start(id: string, data: string, authorization: Readonly<Record<string, unknown>>): Promise<void> {
    // connection_init is optional, so a start is enough to begin the keep-alives.
    this.startKeepAlive();
    if (this.subscriptions.has(id)) return this.startFailed(id, [duplicatedOperation(id)]);
    if (this.subscriptions.size >= this.settings.maxSubscriptions) {
      return this.startFailed(id, [maxSubscriptionsReached(this.settings.maxSubscriptions)]);
    }
    const request = parseStartData(data);
    if ('errorType' in request) return this.startFailed(id, [request]);

    const entry: SubscriptionEntry = { state: 'pending' };
    this.subscriptions.set(id, entry);
    const { engine, graphqlPath } = this.settings;
    let outcome: Awaited<ReturnType<GraphqlEngine['subscribe']>>;
    try {
      // Each start carries its own authorization, signed over `data` exactly as sent (Amplify signs the
      // GraphQL endpoint with this body); one connection may hold subscriptions of different auth modes.
      const caller = await engine.authenticate({
        headers: normalizeHeaders(authorization, this.client.host),
        method: 'POST',
        path: graphqlPath,
        body: data,
        sourceIp: this.client.sourceIp,
      });
      outcome = await engine.subscribe(request, caller);
    } catch (error) {
      if (this.subscriptions.get(id) === entry) this.subscriptions.delete(id);
      if (error instanceof AuthenticationError) return this.startFailed(id, [{ errorType: error.errorType, message: error.message }]);
      this.settings.logger.error('Subscription start failed inside the sandbox', { connectionId: this.id, subscriptionId: id, error: messageOf(error) });
      return this.startFailed(id, [internalFailure()]);
    }

    // A stop, or the socket closing, while the start was being authorized ends it without a start_ack.
    if (this.subscriptions.get(id) !== entry) return;
    if ('errors' in outcome) {
      this.subscriptions.delete(id);
      return this.startFailed(id, outcome.errors);
    }
    this.subscriptions.set(id, { state: 'active', subscription: outcome.subscription });
    this.settings.logger.info('Subscription started', { connectionId: this.id, subscriptionId: id, field: outcome.subscription.fieldName });
    this.send({ type: 'start_ack', id });
  }

  private startFailed(id: string, errors: Extract<ServerMessage, { type: 'error' }>['payload']['errors']): void {
    this.settings.logger.warn('Subscription refused', {
      connectionId: this.id,
      subscriptionId: id,
      errorTypes: errors.map((error) => error.errorType),
    });
    this.send({ type: 'error', id, payload: { errors } });
  }

  // Stopping an id that is not (or no longer) registered still completes: stop is idempotent here.
  private stop(id: string): void {
    if (this.subscriptions.delete(id)) this.settings.logger.info('Subscription stopped', { connectionId: this.id, subscriptionId: id });
    this.send({ type: 'complete', id });
  }

  private refuse(error: RealtimeError): void {
    if (this.refused) return;
    this.refused = true;
    this.settings.logger.warn('Real-time connection refused', {
      connectionId: this.id,
      sourceIp: this.client.sourceIp,
      errorType: error.errorType,
      reason: error.message,
    });
    this.send({ type: 'connection_error', payload: { errors: [error] } });
    this.socket.close(1000, error.errorType);
  }

  private startKeepAlive(): void {
    if (this.keepAlive) return;
    this.keepAlive = setInterval(() => this.send({ type: 'ka' }), this.settings.keepAliveMs);
    this.keepAlive.unref();
  }

  private timer(ms: number, run: () => void): void {
    const timer = setTimeout(run, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private send(message: ServerMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
