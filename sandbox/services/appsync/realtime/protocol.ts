/**
 * The messages of AppSync's real-time protocol ("Building a real-time WebSocket client in AWS AppSync"):
 * what clients send, what the server answers, and the error shapes AppSync is seen to use.
 */
import type { AppSyncError, GraphqlRequest, GraphqlResponse } from '../contracts';

/** The WebSocket subprotocol AppSync's GraphQL real-time endpoint speaks. */
export const GRAPHQL_WS = 'graphql-ws';

/** An error inside a `connection_error` or `error` message. */
export interface RealtimeError {
  readonly errorType: string;
  readonly message: string;
  /** HTTP-like status; AppSync sets it on `connection_error` and Amplify stops retrying on 400/401/403. */
  readonly errorCode?: number;
}

/** Server-to-client messages. */
export type ServerMessage =
  | { type: 'connection_ack'; payload: { connectionTimeoutMs: number } }
  | { type: 'connection_error'; payload: { errors: RealtimeError[] } }
  | { type: 'ka' }
  | { type: 'start_ack'; id: string }
  | { type: 'data'; id: string; payload: GraphqlResponse }
  | { type: 'error'; id?: string; payload: { errors: (RealtimeError | AppSyncError)[] } }
  | { type: 'complete'; id: string };

/** Client-to-server messages after parsing; anything unusable becomes `invalid` with the error to answer. */
export type ClientMessage =
  | { type: 'connection_init' }
  | { type: 'start'; id: string; data: string; authorization: Readonly<Record<string, unknown>> }
  | { type: 'stop'; id: string }
  | { type: 'invalid'; id?: string; error: RealtimeError };

/** Parses one text frame; never throws. */
export function parseClientMessage(text: string): ClientMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { type: 'invalid', error: badRequest('Message is not valid JSON') };
  }
  if (!isObject(message) || typeof message.type !== 'string') {
    return { type: 'invalid', error: badRequest('Message must be a JSON object with a string "type"') };
  }
  const id = typeof message.id === 'string' && message.id !== '' ? message.id : undefined;
  switch (message.type) {
    case 'connection_init':
      return { type: 'connection_init' };
    case 'start': {
      if (!id) return { type: 'invalid', error: badRequest('A start message needs a non-empty string "id"') };
      const payload = isObject(message.payload) ? message.payload : {};
      if (typeof payload.data !== 'string') {
        return { type: 'invalid', id, error: unsupportedOperation('unknown') };
      }
      const extensions = isObject(payload.extensions) ? payload.extensions : {};
      const authorization = isObject(extensions.authorization) ? extensions.authorization : {};
      return { type: 'start', id, data: payload.data, authorization };
    }
    case 'stop':
      if (!id) return { type: 'invalid', error: badRequest('A stop message needs a non-empty string "id"') };
      return { type: 'stop', id };
    default:
      return {
        type: 'invalid',
        id,
        error: { errorType: 'UnsupportedOperation', message: `Message type ${message.type} is not supported` },
      };
  }
}

/** The GraphQL request inside a start message's `data` string, or the error to answer. */
export function parseStartData(data: string): GraphqlRequest | RealtimeError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return unsupportedOperation('unknown');
  }
  if (!isObject(parsed) || typeof parsed.query !== 'string') return unsupportedOperation('unknown');
  const variables = parsed.variables;
  if (variables !== undefined && variables !== null && !isObject(variables)) {
    return badRequest('"variables" must be an object');
  }
  return {
    query: parsed.query,
    variables: (variables ?? null) as Record<string, unknown> | null,
    operationName: typeof parsed.operationName === 'string' ? parsed.operationName : null,
  };
}

/** `DuplicatedOperationError`, as AppSync answers a start whose id is already in use. */
export function duplicatedOperation(id: string): RealtimeError {
  return { errorType: 'DuplicatedOperationError', message: `Duplicated operation with id ${id}` };
}

/** `MaxSubscriptionsReachedError`, as AppSync answers a start beyond the per-connection limit. */
export function maxSubscriptionsReached(limit: number): RealtimeError {
  return { errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${limit} subscriptions reached` };
}

/** What AppSync answers when it cannot tell a start's operation is a subscription. */
export function unsupportedOperation(operation: string): RealtimeError {
  return { errorType: 'UnsupportedOperation', message: `${operation} not supported through the realtime channel` };
}

/** A malformed message or handshake. */
export function badRequest(message: string): RealtimeError {
  return { errorType: 'BadRequestException', message };
}

/** A failure of the sandbox itself, reported to the client instead of a silent close. */
export function internalFailure(): RealtimeError {
  return { errorType: 'InternalFailureException', message: 'An internal failure occurred; see the sandbox log' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
