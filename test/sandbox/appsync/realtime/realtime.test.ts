import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger, type LogSink } from '../../../../sandbox/core/logger';
import { attachRealtime, type RealtimeOptions, type RealtimeServer } from '../../../../sandbox/services/appsync/realtime';
import { FakeEngine, GOOD_TOKEN } from './fake-engine';
import { headerProtocol, headerQuery, RawClient } from './raw-client';
import { selfSignedCertificate } from './self-signed';

const PATH = '/graphql/realtime';
const ORDER_QUERY = 'subscription OnOrder($owner: String) { onOrderUpdated(owner: $owner) { id owner status } }';

interface Harness {
  engine: FakeEngine;
  realtime: RealtimeServer;
  server: HttpServer | HttpsServer;
  /** `ws://127.0.0.1:<port>/graphql/realtime` */
  url: string;
  host: string;
  logs: Parameters<LogSink>[0][];
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: HttpServer | HttpsServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/** A real-time server on an ephemeral port: plain ws, or wss when given a certificate. */
async function startRealtime(options: Partial<RealtimeOptions> = {}, tls?: { key: string; cert: string }): Promise<Harness> {
  const server = tls ? createHttpsServer(tls) : createHttpServer();
  const engine = new FakeEngine();
  const logs: Harness['logs'] = [];
  const port = await listen(server);
  const realtime = attachRealtime(server, engine, { path: PATH, logger: createLogger('appsync-realtime', (line) => logs.push(line)), ...options });
  cleanups.push(() => realtime.close());
  const scheme = tls ? 'wss' : 'ws';
  return { engine, realtime, server, url: `${scheme}://127.0.0.1:${port}${PATH}`, host: `127.0.0.1:${port}`, logs };
}

async function connect(harness: Harness, token = GOOD_TOKEN, options: WebSocket.ClientOptions = {}): Promise<RawClient> {
  const client = await RawClient.open(harness.url, ['graphql-ws', headerProtocol({ Authorization: token, host: harness.host })], options);
  cleanups.push(() => client.close());
  return client;
}

async function connectAndInit(harness: Harness): Promise<RawClient> {
  const client = await connect(harness);
  client.send({ type: 'connection_init' });
  expect(await client.next()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
  return client;
}

function startMessage(id: string, variables: Record<string, unknown> = {}, token = GOOD_TOKEN, host = '127.0.0.1') {
  const data = JSON.stringify({ query: ORDER_QUERY, variables });
  return { id, type: 'start', payload: { data, extensions: { authorization: { Authorization: token, host } } } };
}

async function subscribe(client: RawClient, id: string, owner: string): Promise<void> {
  client.send(startMessage(id, { owner }));
  expect(await client.nextNotKa()).toEqual({ type: 'start_ack', id });
}

/** Polls a condition the server reaches asynchronously (a socket's close event lands after the client's). */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A message that gets an answer: anything sent before it arrives first, so absence can be asserted without sleeping. */
async function expectNothingPending(client: RawClient): Promise<void> {
  client.send({ type: 'stop', id: 'probe' });
  expect(await client.nextNotKa()).toEqual({ type: 'complete', id: 'probe' });
}

describe('handshake', () => {
  test('negotiates the graphql-ws subprotocol and authenticates the header- subprotocol as a signed POST to /graphql/connect', async () => {
    const harness = await startRealtime();
    const client = await connect(harness);

    expect(client.socket.protocol).toBe('graphql-ws');
    expect(harness.engine.authRequests).toEqual([
      {
        headers: { authorization: GOOD_TOKEN, host: harness.host },
        method: 'POST',
        path: '/graphql/connect',
        body: '{}',
        sourceIp: '127.0.0.1',
      },
    ]);
  });

  test('refuses an upgrade that does not offer graphql-ws with HTTP 400', async () => {
    const harness = await startRealtime();

    await expect(RawClient.open(harness.url, ['graphql-transport-ws', headerProtocol({ Authorization: GOOD_TOKEN })])).rejects.toThrow('HTTP 400');
    await expect(RawClient.open(harness.url, [])).rejects.toThrow('HTTP 400');
    expect(harness.engine.authRequests).toEqual([]);
  });

  test('accepts the header and payload query parameters of older clients, signing the decoded payload', async () => {
    const harness = await startRealtime();
    const client = await RawClient.open(`${harness.url}${headerQuery({ Authorization: GOOD_TOKEN, host: harness.host })}`, ['graphql-ws']);
    cleanups.push(() => client.close());

    client.send({ type: 'connection_init' });
    expect(await client.next()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    expect(harness.engine.authRequests[0]).toMatchObject({ headers: { authorization: GOOD_TOKEN }, path: '/graphql/connect', body: '{}' });
  });

  test('a header query parameter without its payload parameter is a connection_error', async () => {
    const harness = await startRealtime();
    const client = await RawClient.open(`${harness.url}${headerQuery({ Authorization: GOOD_TOKEN }, null)}`, ['graphql-ws']);

    client.send({ type: 'connection_init' });
    expect(await client.next()).toEqual({
      type: 'connection_error',
      payload: {
        errors: [
          { errorType: 'BadRequestException', message: 'The payload query parameter must be a base64-encoded JSON object (e30= for {})', errorCode: 400 },
        ],
      },
    });
    expect((await client.closed).code).toBe(1000);
  });

  test('a bad token gets a connection_error with UnauthorizedException and 401, then the server closes', async () => {
    const harness = await startRealtime();
    const client = await connect(harness, 'bad-token');

    client.send({ type: 'connection_init' });
    expect(await client.next()).toEqual({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }] },
    });
    expect(await client.closed).toEqual({ code: 1000, reason: 'UnauthorizedException' });
    await waitFor(() => harness.realtime.connections === 0);
  });

  test('a refused client that never speaks still gets its connection_error when the connection times out', async () => {
    const harness = await startRealtime({ connectionTimeoutMs: 200, keepAliveMs: 100 });
    const client = await connect(harness, 'bad-token');

    expect((await client.next()).type).toBe('connection_error');
    expect((await client.closed).code).toBe(1000);
  });

  test('leaves upgrades to other paths to other handlers', async () => {
    const harness = await startRealtime();
    const other = new WebSocketServer({ noServer: true });
    harness.server.on('upgrade', (request, socket, head) => {
      if (request.url === '/other') other.handleUpgrade(request, socket, head, (ws) => ws.send('other handler'));
    });
    cleanups.push(() => new Promise((resolve) => other.close(resolve)));

    const socket = new WebSocket(harness.url.replace(PATH, '/other'));
    const first = await new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
    socket.close();

    expect(first).toBe('other handler');
    expect(harness.engine.authRequests).toEqual([]);
  });

  test('serves wss through an https server', async () => {
    const { key, cert } = selfSignedCertificate();
    const harness = await startRealtime({}, { key, cert });
    expect(harness.url.startsWith('wss://')).toBe(true);

    const client = await connect(harness, GOOD_TOKEN, { ca: cert });
    client.send({ type: 'connection_init' });
    expect((await client.next()).type).toBe('connection_ack');
  });
});

describe('connection', () => {
  test('connection_init is answered with connection_ack, then ka messages keep coming', async () => {
    const harness = await startRealtime({ keepAliveMs: 30 });
    const client = await connectAndInit(harness);

    expect(await client.next()).toEqual({ type: 'ka' });
    expect(await client.next()).toEqual({ type: 'ka' });
  });

  test('unknown message types and malformed messages are answered with an error', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);

    client.send({ type: 'subscribe', id: 'x' });
    expect(await client.next()).toEqual({
      type: 'error',
      id: 'x',
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'Message type subscribe is not supported' }] },
    });
    client.socket.send('not json');
    expect(await client.next()).toEqual({ type: 'error', payload: { errors: [{ errorType: 'BadRequestException', message: 'Message is not valid JSON' }] } });
  });

  test('close() closes every socket and stops accepting upgrades', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);
    await subscribe(client, 'sub-1', 'alice');
    expect([harness.realtime.connections, harness.realtime.subscriptions, harness.engine.listenerCount]).toEqual([1, 1, 1]);

    await harness.realtime.close();

    expect((await client.closed).code).toBe(1001);
    expect([harness.realtime.connections, harness.realtime.subscriptions, harness.engine.listenerCount]).toEqual([0, 0, 0]);
    harness.server.on('upgrade', (_request, socket) => socket.destroy());
    await expect(RawClient.open(harness.url, ['graphql-ws'])).rejects.toThrow();
  });

  test('options are validated up front, every problem at once', async () => {
    const server = createHttpServer();
    const options = { path: 'graphql', logger: createLogger('test', () => undefined), keepAliveMs: 0, connectionTimeoutMs: 1000 };
    expect(() => attachRealtime(server, new FakeEngine(), options)).toThrow(
      [
        'Invalid real-time options:',
        '- path must start with "/" (got "graphql")',
        '- graphqlPath is required when path does not end with "/realtime" (got path "graphql")',
        '- keepAliveMs must be an integer from 1 to 2147483647 (got 0)',
      ].join('\n'),
    );
  });
});

describe('subscriptions', () => {
  test('start is authorized with its own headers, signed over the data string, as a POST to /graphql', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);
    const start = startMessage('sub-1', { owner: 'alice' });

    client.send(start);

    expect(await client.next()).toEqual({ type: 'start_ack', id: 'sub-1' });
    expect(harness.engine.authRequests[1]).toEqual({
      headers: { authorization: GOOD_TOKEN, host: '127.0.0.1' },
      method: 'POST',
      path: '/graphql',
      body: start.payload.data,
      sourceIp: '127.0.0.1',
    });
    expect(harness.realtime.subscriptions).toBe(1);
  });

  test('a published mutation reaches only the subscriptions it feeds and matches', async () => {
    const harness = await startRealtime();
    const alice = await connectAndInit(harness);
    const bob = await connectAndInit(harness);
    await subscribe(alice, 'a-1', 'alice');
    await subscribe(bob, 'b-1', 'bob');

    harness.engine.publish({ fieldName: 'updateOrder', payload: { id: 'o-1', owner: 'alice', status: 'SHIPPED', total: 12 } });
    harness.engine.publish({ fieldName: 'createInvoice', payload: { id: 'i-1', owner: 'alice', status: 'OPEN' } });

    expect(await alice.next()).toEqual({ type: 'data', id: 'a-1', payload: { data: { onOrderUpdated: { id: 'o-1', owner: 'alice', status: 'SHIPPED' } } } });
    await expectNothingPending(alice);
    await expectNothingPending(bob);
  });

  test('a start with bad authorization gets an UnauthorizedException error and no start_ack', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);

    client.send(startMessage('sub-1', { owner: 'alice' }, 'bad-token'));

    expect(await client.next()).toEqual({
      type: 'error',
      id: 'sub-1',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] },
    });
    harness.engine.publish({ fieldName: 'updateOrder', payload: { id: 'o-1', owner: 'alice', status: 'SHIPPED' } });
    await expectNothingPending(client);
    expect(harness.realtime.subscriptions).toBe(0);
  });

  test('the engine refusing a subscription is passed on as an error with its errors', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);
    const data = JSON.stringify({ query: 'subscription { onNothing { id } }' });

    client.send({ id: 'sub-1', type: 'start', payload: { data, extensions: { authorization: { Authorization: GOOD_TOKEN } } } });

    expect(await client.next()).toEqual({
      type: 'error',
      id: 'sub-1',
      payload: { errors: [{ errorType: 'ValidationError', message: 'Validation error: only onOrderUpdated is a subscription field' }] },
    });
  });

  test('stop is answered with complete and no data follows', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);
    await subscribe(client, 'sub-1', 'alice');

    client.send({ type: 'stop', id: 'sub-1' });
    expect(await client.next()).toEqual({ type: 'complete', id: 'sub-1' });
    harness.engine.publish({ fieldName: 'updateOrder', payload: { id: 'o-1', owner: 'alice', status: 'SHIPPED' } });

    await expectNothingPending(client);
    expect(harness.realtime.subscriptions).toBe(0);
  });

  test('a stop while the start is still being authorized completes it, and no start_ack follows', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);
    const release = harness.engine.hold();

    client.send(startMessage('sub-1', { owner: 'alice' }));
    client.send({ type: 'stop', id: 'sub-1' });
    expect(await client.next()).toEqual({ type: 'complete', id: 'sub-1' });
    release();

    await expectNothingPending(client);
    expect(harness.realtime.subscriptions).toBe(0);
  });

  test('a duplicate subscription id is a DuplicatedOperationError', async () => {
    const harness = await startRealtime();
    const client = await connectAndInit(harness);
    await subscribe(client, 'sub-1', 'alice');

    client.send(startMessage('sub-1', { owner: 'alice' }));

    expect(await client.next()).toEqual({
      type: 'error',
      id: 'sub-1',
      payload: { errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id sub-1' }] },
    });
    expect(harness.realtime.subscriptions).toBe(1);
  });

  test('subscriptions beyond the per-connection limit are a MaxSubscriptionsReachedError', async () => {
    const harness = await startRealtime({ maxSubscriptionsPerConnection: 2 });
    const client = await connectAndInit(harness);
    await subscribe(client, 'sub-1', 'alice');
    await subscribe(client, 'sub-2', 'alice');

    client.send(startMessage('sub-3', { owner: 'alice' }));

    expect(await client.next()).toEqual({
      type: 'error',
      id: 'sub-3',
      payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 2 subscriptions reached' }] },
    });
  });

  test('a start without connection_init is served, since connection_init is optional', async () => {
    const harness = await startRealtime();
    const client = await connect(harness);

    await subscribe(client, 'sub-1', 'alice');
  });

  test('no log line carries a token', async () => {
    const harness = await startRealtime();
    const good = await connectAndInit(harness);
    await subscribe(good, 'sub-1', 'alice');
    good.send(startMessage('sub-2', {}, 'bad-token'));
    await good.next();
    const bad = await connect(harness, 'bad-token');
    bad.send({ type: 'connection_init' });
    await bad.closed;

    const text = JSON.stringify(harness.logs);
    expect(text).not.toContain(GOOD_TOKEN);
    expect(text).not.toContain('bad-token');
    expect(harness.logs.map((line) => line.message)).toEqual(
      expect.arrayContaining(['Real-time connection opened', 'Subscription started', 'Subscription refused', 'Real-time connection refused']),
    );
  });
});
