/**
 * The WebSocket handshake of AppSync's real-time endpoint: subprotocol negotiation and the three ways a
 * client passes its connection authorization (a `header-` subprotocol, the `header`/`payload` query
 * parameters, or plain HTTP headers).
 */
import type { IncomingMessage } from 'node:http';
import { badRequest, GRAPHQL_WS, type RealtimeError } from './protocol';

const HEADER_PROTOCOL_PREFIX = 'header-';

/** The subprotocols a client offered, in order. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return [];
  return header.split(',').map((protocol) => protocol.trim()).filter((protocol) => protocol !== '');
}

/** Whether the client can speak AppSync's protocol at all. */
export function offersGraphqlWs(request: IncomingMessage): boolean {
  return offeredProtocols(request).includes(GRAPHQL_WS);
}

/** The headers and body a client signed to connect, as `engine.authenticate` takes them. */
export interface ConnectionAuthorization {
  /** Lower-cased header names. */
  readonly headers: Record<string, string>;
  /** `{}` for the subprotocol and HTTP-header forms; the decoded `payload` parameter for the query form. */
  readonly body: string;
  readonly source: 'subprotocol' | 'query' | 'http-headers';
}

/** Reads the connection authorization from whichever form the client used, or says why it is unusable. */
export function connectionAuthorization(request: IncomingMessage): ConnectionAuthorization | RealtimeError {
  const host = request.headers.host;
  const headerProtocol = offeredProtocols(request).find((protocol) => protocol.startsWith(HEADER_PROTOCOL_PREFIX));
  if (headerProtocol !== undefined) {
    const headers = decodeHeaderObject(headerProtocol.slice(HEADER_PROTOCOL_PREFIX.length));
    if (!headers) return badRequest('The header- subprotocol is not a base64url-encoded JSON object');
    return { headers: withHost(headers, host), body: '{}', source: 'subprotocol' };
  }

  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const headerParam = query.get('header');
  if (headerParam !== null) {
    const headers = decodeHeaderObject(headerParam);
    if (!headers) return badRequest('The header query parameter is not a base64-encoded JSON object');
    const payloadParam = query.get('payload');
    const payload = payloadParam === null ? undefined : decodeJsonObject(payloadParam);
    if (!payload) return badRequest('The payload query parameter must be a base64-encoded JSON object (e30= for {})');
    return { headers: withHost(headers, host), body: payload.text, source: 'query' };
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'sec-websocket-protocol' || name === 'sec-websocket-key') continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { headers, body: '{}', source: 'http-headers' };
}

/** Lower-cases the names of an authorization object (a start's `extensions.authorization`) and keeps string values. */
export function normalizeHeaders(object: Readonly<Record<string, unknown>>, fallbackHost?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(object)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') headers[name.toLowerCase()] = String(value);
  }
  return withHost(headers, fallbackHost);
}

function decodeHeaderObject(encoded: string): Record<string, string> | undefined {
  const decoded = decodeJsonObject(encoded);
  return decoded ? normalizeHeaders(decoded.value) : undefined;
}

// Node's base64 decoder accepts both alphabets; query strings turn an unescaped `+` into a space.
function decodeJsonObject(encoded: string): { value: Record<string, unknown>; text: string } | undefined {
  const text = Buffer.from(encoded.replace(/ /g, '+'), 'base64').toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return { value: value as Record<string, unknown>, text };
  } catch {
    return undefined;
  }
}

// The host a client signed is the GraphQL endpoint's; AppSync only needs it for IAM, so fill it when absent.
function withHost(headers: Record<string, string>, host: string | undefined): Record<string, string> {
  return headers.host === undefined && host !== undefined ? { ...headers, host } : headers;
}
