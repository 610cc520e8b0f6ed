// `npm start` without `--reset` starts over the data of the last run: users, tokens' subjects and orders survive.
import { AmplifyApp, signInDemoUser } from './support/clients';
import { CANCEL_ORDER, CREATE_ORDER, GET_ORDER, LIST_MY_ORDERS, type Order } from './support/operations';
import { SandboxUnderTest } from './support/sandbox';
import { trustSandboxCa } from './support/trust';

let sandbox: SandboxUnderTest;

beforeAll(async () => {
  sandbox = await SandboxUnderTest.start();
  trustSandboxCa(sandbox.ca);
}, 120_000);

afterAll(async () => {
  await sandbox?.dispose();
}, 30_000);

async function signedInAlice() {
  const user = await signInDemoUser(sandbox.endpoints, 'alice@example.com');
  return { user, app: new AmplifyApp(sandbox.endpoints, user.tokenProvider) };
}

it("a restart without --reset keeps alice's orders", async () => {
  const before = await signedInAlice();
  const { createOrder: kept } = await before.app.data<{ createOrder: Order }>(CREATE_ORDER, { input: { items: [{ sku: 'MUG-01', quantity: 1 }] } });
  const { createOrder: placed } = await before.app.data<{ createOrder: Order }>(CREATE_ORDER, { input: { items: [{ sku: 'TEA-01', quantity: 2 }] } });
  const { cancelOrder: cancelled } = await before.app.data<{ cancelOrder: Order }>(CANCEL_ORDER, { id: placed.id, reason: 'changed my mind' });
  const listed = await before.app.data<{ listMyOrders: { items: Order[]; nextToken: string | null } }>(LIST_MY_ORDERS);
  expect(listed).toEqual({ listMyOrders: { items: [cancelled, kept], nextToken: null } });
  const ca = sandbox.ca;

  await sandbox.restart();

  // The CA is kept too, so devices that trust it keep working.
  expect(sandbox.ca).toBe(ca);
  trustSandboxCa(sandbox.ca);
  const after = await signedInAlice();
  expect(after.user.sub).toBe(before.user.sub);
  expect(await after.app.data(LIST_MY_ORDERS)).toEqual(listed);
  expect(await after.app.data(GET_ORDER, { id: kept.id })).toEqual({ getOrder: kept });
});
