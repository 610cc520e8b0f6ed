import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { parse, print } from 'graphql';
import WebSocket from 'ws';
import { createLogger } from '../../../../sandbox/core/logger';
import { attachRealtime } from '../../../../sandbox/services/appsync/realtime';
import { FakeEngine, GOOD_TOKEN } from './fake-engine';
import { selfSignedCertificate } from './self-signed';

const QUERY = 'subscription { onOrderUpdated { id owner status } }';

/** The subset of the value Amplify's subscription observable emits that this test reads. */
interface SubscriptionValue {
  data: unknown;
}

interface Observed {
  subscribe(observer: { next(value: SubscriptionValue): void; error(error: unknown): void }): { unsubscribe(): void };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Amplify v6 opens `new WebSocket(url, protocols)` on the global; Node 20 has none, so `ws` stands in, made to
// trust the test's self-signed certificate (ws takes a CA per socket, so nothing process-wide is loosened).
// Jest gives each test file its own global object, and Amplify's timers may still read it after the test.
const { key, cert } = selfSignedCertificate();
class TrustingWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols, { ca: cert });
  }
}
(globalThis as { WebSocket?: unknown }).WebSocket = TrustingWebSocket;

// Amplify arms a 15 s connection_init timeout on every handshake and never clears it (AWSWebSocketProvider
// `_initiateHandshake`), which would hold Jest open 15 s after the test; unref'd, it no longer keeps the process alive.
const armTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => armTimeout(...args).unref()) as typeof setTimeout;

/** An https server with the real-time endpoint, and Amplify configured against it with Lambda authorization. */
async function startServer() {
  const server = createServer({ key, cert });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const engine = new FakeEngine();
  const realtime = attachRealtime(server, engine, { path: '/graphql/realtime', logger: createLogger('appsync-realtime', () => undefined) });
  Amplify.configure({ API: { GraphQL: { endpoint: `https://127.0.0.1:${port}/graphql`, region: 'us-east-1', defaultAuthMode: 'lambda' } } });
  const close = async (): Promise<void> => {
    await realtime.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { port, engine, realtime, close };
}

function subscribe(authToken: string) {
  const received: SubscriptionValue[] = [];
  const errors: unknown[] = [];
  const observable = generateClient().graphql({ query: QUERY, authToken }) as unknown as Observed;
  const subscription = observable.subscribe({ next: (value) => received.push(value), error: (error) => errors.push(error) });
  return { received, errors, subscription };
}

test('a stock Amplify v6 client subscribes over wss and receives a published mutation', async () => {
  const { port, engine, realtime, close } = await startServer();
  try {
    const { received, errors, subscription } = subscribe(GOOD_TOKEN);

    await waitFor(() => realtime.subscriptions === 1 || errors.length > 0, 'the start_ack');
    expect(errors).toEqual([]);
    engine.publish({ fieldName: 'updateOrder', payload: { id: 'o-1', owner: 'alice', status: 'SHIPPED', total: 12 } });
    await waitFor(() => received.length === 1, 'the data message');

    expect(received[0]?.data).toEqual({ onOrderUpdated: { id: 'o-1', owner: 'alice', status: 'SHIPPED' } });
    const [connect, start] = engine.authRequests;
    // Only what the header- subprotocol carried: the Lambda token and the GraphQL endpoint's host.
    expect(connect).toEqual({
      headers: { authorization: GOOD_TOKEN, host: `127.0.0.1:${port}` },
      method: 'POST',
      path: '/graphql/connect',
      body: '{}',
      sourceIp: '127.0.0.1',
    });
    expect(start).toMatchObject({ headers: { authorization: GOOD_TOKEN, host: `127.0.0.1:${port}` }, method: 'POST', path: '/graphql' });
    // The start is signed over `data` as Amplify sent it: its own printing of the query, and the variables.
    const signed = JSON.parse(start?.body ?? '{}') as { query: string; variables: unknown };
    expect({ query: print(parse(signed.query)), variables: signed.variables }).toEqual({ query: print(parse(QUERY)), variables: {} });

    // Amplify sends stop, then closes the socket a second after its last subscription ends.
    subscription.unsubscribe();
    await waitFor(() => realtime.connections === 0, 'Amplify to close its socket');
    expect(realtime.subscriptions).toBe(0);
  } finally {
    await close();
  }
});

test('Amplify v6 surfaces a refused connection as a non-retried UnauthorizedException', async () => {
  const { engine, realtime, close } = await startServer();
  try {
    const { errors } = subscribe('bad-token');

    await waitFor(() => errors.length > 0, 'the subscription error');

    expect(errors).toEqual([{ errors: [expect.objectContaining({ message: 'Connection failed: UnauthorizedException' })] }]);
    await waitFor(() => realtime.connections === 0, 'the refused socket to close');
    // 401 is non-retryable for Amplify: one connect attempt, no reconnect loop.
    expect(engine.authRequests.map((request) => request.path)).toEqual(['/graphql/connect']);
  } finally {
    await close();
  }
});
