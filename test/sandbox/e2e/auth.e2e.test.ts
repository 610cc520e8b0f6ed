// Forged Cognito tokens against the sandbox, sent the way a client sends them: Amplify v6 over https and wss, and a
// raw `ws` client speaking AppSync's real-time protocol to see the exact connection_error.
import { generateKeyPairSync, sign } from 'node:crypto';
import WebSocket from 'ws';
import { AmplifyApp, fixedTokenProvider, httpFailure, signInDemoUser, type SignedInUser } from './support/clients';
import { LIST_MY_ORDERS, ON_ORDER_UPDATED } from './support/operations';
import { SandboxUnderTest } from './support/sandbox';
import { trustSandboxCa } from './support/trust';

let sandbox: SandboxUnderTest;
let alice: SignedInUser;
let bob: SignedInUser;
const forged: Record<string, string> = {};

const NOT_AUTHORIZED = { errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' };

function encode(part: unknown): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** What a real-time connection answered `connection_init`, and how the server closed it if it did. */
async function connectRealtime(token: string): Promise<{ first: unknown; closed?: { code: number; reason: string } }> {
  const { realtimeUrl, graphqlUrl } = sandbox.endpoints;
  // The authorization Amplify sends: the token and the GraphQL endpoint's host, base64url JSON in a subprotocol.
  const header = `header-${encode({ Authorization: token, host: new URL(graphqlUrl).host })}`;
  const socket = new WebSocket(realtimeUrl, ['graphql-ws', header], { ca: sandbox.ca });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const first = new Promise<unknown>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  const message = await first;
  if ((message as { type: string }).type !== 'connection_error') {
    socket.close();
    await closed;
    return { first: message };
  }
  return { first: message, closed: await closed };
}

/** Real-time connections the sandbox refused so far, from its log. */
function refusals(): number {
  return sandbox.log.filter((line) => line.includes('Real-time connection refused')).length;
}

beforeAll(async () => {
  sandbox = await SandboxUnderTest.start();
  trustSandboxCa(sandbox.ca);
  [alice, bob] = await Promise.all([signInDemoUser(sandbox.endpoints, 'alice@example.com'), signInDemoUser(sandbox.endpoints, 'bob@example.com')]);

  const genuine = alice.session.getAccessToken().getJwtToken();
  const [header, payload, signature] = genuine.split('.') as [string, string, string];
  // Alice's token claiming to be bob: the signature no longer matches the payload.
  forged['sub swapped'] = [header, encode({ ...decode(payload), sub: bob.sub, username: bob.sub }), signature].join('.');
  // Alice's exact claims under the pool's key id, signed with a key the pool never issued.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signed = `${header}.${payload}`;
  forged['fresh RSA key'] = `${signed}.${sign('RSA-SHA256', Buffer.from(signed), privateKey).toString('base64url')}`;
}, 120_000);

afterAll(async () => {
  await sandbox?.dispose();
}, 30_000);

describe('forged tokens, end to end', () => {
  it("alice's genuine token is accepted over https and wss (the control)", async () => {
    const app = new AmplifyApp(sandbox.endpoints, alice.tokenProvider);
    expect(await app.request(LIST_MY_ORDERS)).toEqual({ data: { listMyOrders: { items: [], nextToken: null } } });
    expect(await connectRealtime(alice.session.getAccessToken().getJwtToken())).toEqual({ first: { type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } } });
  });

  it.each(['sub swapped', 'fresh RSA key'])('a token with a %s gets HTTP 401 UnauthorizedException on a query', async (kind) => {
    const app = new AmplifyApp(sandbox.endpoints, fixedTokenProvider(forged[kind] as string));
    const outcome = await app.request(LIST_MY_ORDERS);
    // Amplify makes the HTTP error a GraphQL error named after AppSync's x-amzn-errortype, and says "Unauthorized".
    expect(httpFailure(outcome)).toEqual({ message: 'Unauthorized', name: 'UnauthorizedException', status: 401, body: { errors: [NOT_AUTHORIZED] } });
    expect(outcome.data).toEqual({});
  });

  it.each(['sub swapped', 'fresh RSA key'])('a real-time connection with a token with a %s gets connection_error', async (kind) => {
    const token = forged[kind] as string;
    expect(await connectRealtime(token)).toEqual({
      first: { type: 'connection_error', payload: { errors: [{ ...NOT_AUTHORIZED, errorCode: 401 }] } },
      closed: { code: 1000, reason: 'UnauthorizedException' },
    });
    // Amplify surfaces the refusal on the subscription, and only once it gave up: a 401 is not retried.
    const refusedBefore = refusals();
    const app = new AmplifyApp(sandbox.endpoints, fixedTokenProvider(token));
    await expect(app.subscribe(ON_ORDER_UPDATED)).rejects.toEqual({ errors: [expect.objectContaining({ message: 'Connection failed: UnauthorizedException' })] });
    expect(refusals()).toBe(refusedBefore + 1);
  });
});
