// The orders flow end to end, through the clients a web app and a backend use: amazon-cognito-identity-js (SRP),
// Amplify v6 over https and wss, and SigV4-signed fetch. The sandbox is the one `npm start` runs.
import { DEMO_PRODUCTS } from '../../../sandbox/seed/products';
import { AmplifyApp, closeFeeds, IamCaller, signInDemoUser, type Feed, type SignedInUser } from './support/clients';
import {
  CANCEL_ORDER,
  CREATE_ORDER,
  GET_ORDER,
  LIST_MY_ORDERS,
  LIST_ORDERS,
  LIST_PRODUCTS,
  ON_ORDER_UPDATED,
  PUBLISH_ORDER_UPDATE,
  resolverError,
  type Order,
  type Product,
} from './support/operations';
import { SandboxUnderTest } from './support/sandbox';
import { trustSandboxCa } from './support/trust';

type OrderUpdate = { onOrderUpdated: Order };

/** A person using the app: signed in, with the app's GraphQL client. */
interface Person {
  readonly user: SignedInUser;
  readonly app: AmplifyApp;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let sandbox: SandboxUnderTest;
let alice: Person;
let bob: Person;
let admin: Person;
let backend: IamCaller;
const feeds: Feed<unknown>[] = [];

async function person(email: string): Promise<Person> {
  const user = await signInDemoUser(sandbox.endpoints, email);
  return { user, app: new AmplifyApp(sandbox.endpoints, user.tokenProvider) };
}

async function subscribe(who: Person, variables: Record<string, unknown> = {}): Promise<Feed<OrderUpdate>> {
  const feed = await who.app.subscribe<OrderUpdate>(ON_ORDER_UPDATED, variables);
  feeds.push(feed as Feed<unknown>);
  return feed;
}

async function placeOrder(who: Person, items: { sku: string; quantity: number }[], idempotencyKey?: string): Promise<Order> {
  const { createOrder } = await who.app.data<{ createOrder: Order }>(CREATE_ORDER, { input: { items, ...(idempotencyKey ? { idempotencyKey } : {}) } });
  return createOrder;
}

async function cancel(who: Person, id: string, reason?: string): Promise<Order> {
  const { cancelOrder } = await who.app.data<{ cancelOrder: Order }>(CANCEL_ORDER, { id, reason });
  return cancelOrder;
}

beforeAll(async () => {
  sandbox = await SandboxUnderTest.start();
  trustSandboxCa(sandbox.ca);
  [alice, bob, admin] = await Promise.all(['alice@example.com', 'bob@example.com', 'admin@example.com'].map(person));
  backend = new IamCaller(sandbox.endpoints);
}, 120_000);

afterAll(async () => {
  try {
    await closeFeeds(feeds);
  } finally {
    await sandbox?.dispose();
  }
}, 30_000);

describe('orders, end to end with real clients', () => {
  it('alice lists the catalogue, orders at its prices, cancels and hears the change on her subscription', async () => {
    const { listProducts } = await alice.app.data<{ listProducts: { items: Product[]; nextToken: string | null } }>(LIST_PRODUCTS);
    expect(listProducts).toEqual({ items: [...DEMO_PRODUCTS].sort((a, b) => a.sku.localeCompare(b.sku)), nextToken: null });
    const price = (sku: string) => listProducts.items.find((product) => product.sku === sku)?.price as number;

    const order = await placeOrder(alice, [
      { sku: 'MUG-01', quantity: 2 },
      { sku: 'KETTLE-01', quantity: 1 },
    ]);
    expect(order).toEqual({
      id: expect.stringMatching(ULID),
      owner: alice.user.sub,
      items: [
        { sku: 'MUG-01', name: 'Stoneware mug', quantity: 2, unitPrice: price('MUG-01') },
        { sku: 'KETTLE-01', name: 'Gooseneck kettle', quantity: 1, unitPrice: price('KETTLE-01') },
      ],
      total: 2 * price('MUG-01') + price('KETTLE-01'),
      currency: 'EUR',
      status: 'PENDING',
      statusReason: null,
      createdAt: expect.stringMatching(ISO_TIME),
      updatedAt: order.createdAt,
    });

    const updates = await subscribe(alice);
    const cancelled = await cancel(alice, order.id, 'Ordered the wrong kettle');
    expect(cancelled).toEqual({ ...order, status: 'CANCELLED', statusReason: 'Ordered the wrong kettle', updatedAt: expect.stringMatching(ISO_TIME) });
    expect(await updates.next()).toEqual({ onOrderUpdated: cancelled });
    updates.close();
  });

  it("bob hears nothing of alice's order and can neither read nor cancel it", async () => {
    const aliceUpdates = await subscribe(alice);
    const bobUpdates = await subscribe(bob);
    const order = await placeOrder(alice, [{ sku: 'TEA-01', quantity: 3 }]);

    // Another customer's order reads exactly like a missing one, so ids cannot be probed.
    expect(await bob.app.request(GET_ORDER, { id: order.id })).toEqual({ data: { getOrder: null } });
    expect(await bob.app.request(CANCEL_ORDER, { id: order.id, reason: 'not mine' })).toEqual({
      data: null,
      errors: [resolverError('cancelOrder', 'NotFound', `id: no order ${order.id} belongs to you`)],
    });
    expect(await alice.app.data(GET_ORDER, { id: order.id })).toEqual({ getOrder: order });

    // Alice's own cancellation is the first thing she hears: bob's refused attempt published nothing.
    const cancelled = await cancel(alice, order.id);
    expect(await aliceUpdates.next()).toEqual({ onOrderUpdated: cancelled });

    // One socket delivers in order, so bob's own update arriving first proves alice's never reached him.
    const bobsOrder = await placeOrder(bob, [{ sku: 'FILTER-01', quantity: 1 }]);
    const bobsCancelled = await cancel(bob, bobsOrder.id);
    expect(await bobUpdates.next()).toEqual({ onOrderUpdated: bobsCancelled });
    expect(bobUpdates.unread).toEqual([]);
    aliceUpdates.close();
    bobUpdates.close();
  });

  it("an IAM-signed publishOrderUpdate reaches alice's subscription; with a Cognito token it is refused and publishes nothing", async () => {
    const order = await placeOrder(alice, [{ sku: 'MUG-01', quantity: 1 }]);
    const aliceUpdates = await subscribe(alice, { id: order.id });
    const adminUpdates = await subscribe(admin);
    const update = { input: { id: order.id, status: 'RESERVED', reason: 'stock reserved' } };

    for (const who of [alice, admin]) {
      expect(await who.app.request(PUBLISH_ORDER_UPDATE, update)).toEqual({
        data: { publishOrderUpdate: null },
        errors: [resolverError('publishOrderUpdate', 'Unauthorized', 'Not Authorized to access publishOrderUpdate on type Mutation')],
      });
    }
    expect(await alice.app.data(GET_ORDER, { id: order.id })).toEqual({ getOrder: order });

    const answer = await backend.request(PUBLISH_ORDER_UPDATE, update);
    const reserved = { ...order, status: 'RESERVED', statusReason: 'stock reserved', updatedAt: expect.stringMatching(ISO_TIME) };
    expect(answer).toEqual({ status: 200, body: { data: { publishOrderUpdate: reserved } } });
    const published = (answer.body as { data: { publishOrderUpdate: Order } }).data.publishOrderUpdate;

    // The first message on each subscription is the IAM update: the refused attempts published nothing.
    expect(await aliceUpdates.next()).toEqual({ onOrderUpdated: published });
    expect(await adminUpdates.next()).toEqual({ onOrderUpdated: published });
    expect(await alice.app.data(GET_ORDER, { id: order.id })).toEqual({ getOrder: published });
    aliceUpdates.close();
    adminUpdates.close();
  });

  it('createOrder with the same idempotencyKey returns the same order; an invalid quantity names the field and the rule', async () => {
    const items = [{ sku: 'TEA-01', quantity: 2 }];
    const first = await placeOrder(alice, items, 'checkout-7f3a9c');
    const retried = await placeOrder(alice, items, 'checkout-7f3a9c');
    expect(retried).toEqual(first);
    const { listMyOrders } = await alice.app.data<{ listMyOrders: { items: Order[] } }>(LIST_MY_ORDERS, { status: 'PENDING' });
    expect(listMyOrders.items.filter((order) => order.id === first.id)).toEqual([first]);
    // Keys belong to the customer who sent them: bob's identical key places bob's own order.
    const bobs = await placeOrder(bob, items, 'checkout-7f3a9c');
    expect(bobs).toMatchObject({ owner: bob.user.sub, total: first.total });
    expect(bobs.id).not.toBe(first.id);

    const rule = 'must be a positive integer of at most 1000';
    expect(await alice.app.request(CREATE_ORDER, { input: { items: [{ sku: 'MUG-01', quantity: 0 }] } })).toEqual({
      data: null,
      errors: [resolverError('createOrder', 'ValidationError', `input.items[0].quantity ${rule}`, { problems: [{ field: 'input.items[0].quantity', rule }] })],
    });
  });

  it("admins list every customer's pending orders, oldest first; a customer asking is refused", async () => {
    const alices = await placeOrder(alice, [{ sku: 'FILTER-01', quantity: 4 }]);
    const bobs = await placeOrder(bob, [{ sku: 'KETTLE-01', quantity: 1 }]);

    const { listOrders } = await admin.app.data<{ listOrders: { items: Order[]; nextToken: string | null } }>(LIST_ORDERS, { status: 'PENDING' });
    expect(listOrders.nextToken).toBeNull();
    expect(listOrders.items.map((order) => order.status)).toEqual(listOrders.items.map(() => 'PENDING'));
    expect(listOrders.items.filter((order) => order.id === alices.id || order.id === bobs.id)).toEqual([alices, bobs]);

    expect(await alice.app.request(LIST_ORDERS, { status: 'PENDING' })).toEqual({
      data: null,
      errors: [resolverError('listOrders', 'Unauthorized', 'Not Authorized to access listOrders on type Query')],
    });
  });
});
