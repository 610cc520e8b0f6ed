import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import WebSocket from 'ws';

let trustedCa: string | undefined;

/**
 * Makes this test file's `fetch` and `WebSocket` trust the sandbox's CA for https and wss, as a developer does by
 * importing the CA into a browser or device; nothing else is loosened. Calling it again swaps the CA.
 *
 * Node reads NODE_EXTRA_CA_CERTS only at start, before the sandbox has made its CA, and its built-in fetch takes no
 * CA option. undici's `setGlobalDispatcher` would not help either: undici is not a dependency, and Jest gives each
 * test file a global object of its own while the built-in fetch reads its dispatcher from Node's. So https requests
 * go through `node:https` with the CA and come back as a standard `Response`; anything else is the built-in fetch.
 */
export function trustSandboxCa(ca: string): void {
  const installed = trustedCa !== undefined;
  trustedCa = ca;
  if (installed) return;
  const builtIn = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (new URL(request.url).protocol !== 'https:') return builtIn(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise((resolve, reject) => {
      const outgoing = httpsRequest(request.url, { method: request.method, headers: Object.fromEntries(request.headers), ca: trustedCa, signal: request.signal }, (incoming) => {
        const headers = new Headers();
        for (let index = 0; index < incoming.rawHeaders.length; index += 2) headers.append(incoming.rawHeaders[index] as string, incoming.rawHeaders[index + 1] as string);
        const status = incoming.statusCode ?? 0;
        const stream = status === 204 || status === 304 ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, statusText: incoming.statusMessage, headers }));
      });
      // fetch reports network failures as a TypeError; Amplify relies on that to call them network errors.
      outgoing.on('error', (error) => reject(error.name === 'AbortError' ? error : new TypeError('fetch failed', { cause: error })));
      outgoing.end(body);
    });
  };

  // Amplify v6 opens `new WebSocket(url, protocols)` on the global; Node 20 has none, so `ws` stands in with the CA.
  class TrustingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca: trustedCa });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = TrustingWebSocket;

  // Amplify arms a 15 s connection_init timeout on every handshake and never clears it (AWSWebSocketProvider
  // `_initiateHandshake`), which would hold Jest open 15 s after the last test; unref'd, it no longer keeps the
  // process alive. Timers still fire as before.
  const arm = globalThis.setTimeout;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => arm(...args).unref()) as typeof setTimeout;
}
