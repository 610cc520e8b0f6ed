import type { StateSlot } from '../state';

// Headers that describe one hop of a connection rather than the request, and those AppSync sets
// itself; copying them onto a downstream HTTP request would be wrong. AppSync does not publish its
// exact list, so this one is the hop-by-hop set plus the connection-level headers.
const RESTRICTED = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'content-transfer-encoding',
  'cookie',
  'cookie2',
  'date',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'proxy-authorization',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
const RESTRICTED_PREFIXES = ['x-amzn-', 'x-amz-', 'proxy-', 'sec-'];

function isRestricted(name: string): boolean {
  const lower = name.toLowerCase();
  return RESTRICTED.has(lower) || RESTRICTED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** `util.http`: header helpers; response headers are recorded on the invocation. */
export function createHttpUtils(slot: StateSlot) {
  const addResponseHeader = (name: string, value: unknown): void => {
    if (isRestricted(String(name))) throw new Error(`Response header '${name}' is restricted by AppSync`);
    slot.require('util.http.addResponseHeader').responseHeaders[name] = value;
  };
  return {
    copyHeaders(headers: Record<string, unknown>): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(headers ?? {})) {
        if (!isRestricted(name)) out[name] = value;
      }
      return out;
    },
    addResponseHeader,
    addResponseHeaders(headers: Record<string, unknown>): void {
      for (const [name, value] of Object.entries(headers ?? {})) addResponseHeader(name, value);
    },
  };
}
