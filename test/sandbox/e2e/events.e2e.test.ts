// The event backbone (issue 4) end to end, through the clients its users and producers hold: Amplify v6 and
// amazon-cognito-identity-js for customers, the EventBridge SDK for the fulfilment service, the DynamoDB SDK for
// what only the table shows. The sandbox's inspectors show what no client can see: what the bus received.
import { AmplifyApp, closeFeeds, signInDemoUser, type Feed, type SignedInUser } from './support/clients';
import { Backbone, eventually, NAMES } from './support/backbone';
import { CREATE_ORDER, ON_ORDER_UPDATED, type Order } from './support/operations';
import { SandboxUnderTest } from './support/sandbox';
import { trustSandboxCa } from './support/trust';

type OrderUpdate = { onOrderUpdated: Order };

interface Person {
  readonly user: SignedInUser;
  readonly app: AmplifyApp;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let sandbox: SandboxUnderTest;
let backbone: Backbone;
let alice: Person;
let bob: Person;
const feeds: Feed<unknown>[] = [];

async function person(email: string): Promise<Person> {
  const user = await signInDemoUser(sandbox.endpoints, email);
  return { user, app: new AmplifyApp(sandbox.endpoints, user.tokenProvider) };
}

async function subscribe(who: Person): Promise<Feed<OrderUpdate>> {
  const feed = await who.app.subscribe<OrderUpdate>(ON_ORDER_UPDATED);
  feeds.push(feed as Feed<unknown>);
  return feed;
}

async function placeOrder(who: Person, items: { sku: string; quantity: number }[]): Promise<Order> {
  const { createOrder } = await who.app.data<{ createOrder: Order }>(CREATE_ORDER, { input: { items } });
  return createOrder;
}

beforeAll(async () => {
  sandbox = await SandboxUnderTest.start();
  trustSandboxCa(sandbox.ca);
  backbone = new Backbone(sandbox);
  [alice, bob] = await Promise.all(['alice@example.com', 'bob@example.com'].map(person));
}, 120_000);

afterAll(async () => {
  try {
    await closeFeeds(feeds);
    backbone?.destroy();
  } finally {
    await sandbox?.dispose();
  }
}, 30_000);

describe('the event backbone, end to end with real clients', () => {
  it("fulfilment's status events reach the owner's subscription straight from the bus (no Lambda); bob hears none of them", async () => {
    const order = await placeOrder(alice, [{ sku: 'KETTLE-01', quantity: 1 }]);
    const aliceUpdates = await subscribe(alice);
    const bobUpdates = await subscribe(bob);

    const steps = [
      { status: 'RESERVED', previous: 'PENDING', reason: 'stock reserved in Leeds' },
      { status: 'PAID', previous: 'RESERVED', reason: null },
      { status: 'SHIPPED', previous: 'PAID', reason: 'handed to the carrier' },
    ] as const;
    // One at a time, as a fulfilment service moves an order: EventBridge does not order deliveries.
    for (const { status, previous, reason } of steps) {
      await backbone.fulfilment.publish('OrderStatusChanged', backbone.fulfilment.statusChanged(order, status, previous, reason));
      expect(await aliceUpdates.next()).toEqual({ onOrderUpdated: { ...order, status, statusReason: reason, updatedAt: expect.stringMatching(ISO_TIME) } });
    }

    // Each went from the rule to AppSync's publishOrderUpdate: the rule's only targets are AppSync.
    const deliveries = backbone.bus.deliveries().filter((delivery) => delivery.ruleName === NAMES.statusRule && (delivery.event?.detail.data as { orderId?: string } | undefined)?.orderId === order.id);
    expect(deliveries.map(({ targetKind, outcome, attempts }) => ({ targetKind, outcome, attempts: attempts.length }))).toEqual(
      steps.map(() => ({ targetKind: 'appsync', outcome: 'delivered', attempts: 1 })),
    );

    // One socket delivers in order, so bob's own update arriving first proves none of alice's reached him.
    const bobs = await placeOrder(bob, [{ sku: 'FILTER-01', quantity: 2 }]);
    await backbone.fulfilment.publish('OrderStatusChanged', backbone.fulfilment.statusChanged(bobs, 'RESERVED', 'PENDING', null));
    expect(await bobUpdates.next()).toEqual({ onOrderUpdated: { ...bobs, status: 'RESERVED', statusReason: null, updatedAt: expect.stringMatching(ISO_TIME) } });
    expect(bobUpdates.unread).toEqual([]);
    expect(aliceUpdates.unread).toEqual([]);
    aliceUpdates.close();
    bobUpdates.close();
  });

  it('createOrder publishes OrderCreated exactly once through the outbox, clears the outbox item, and the audit trail records it once', async () => {
    const order = await placeOrder(alice, [{ sku: 'TEA-01', quantity: 2 }]);
    const eventId = `OrderCreated:${order.id}`;

    // The mutation publishes before it answers: the event is on the bus and its outbox item is gone.
    expect(backbone.eventsOf('OrderCreated', order.id)).toEqual([
      expect.objectContaining({
        source: 'orders.api',
        'detail-type': 'OrderCreated',
        detail: {
          eventId,
          eventVersion: 1,
          correlationId: order.id,
          occurredAt: order.createdAt,
          producer: 'appsync:createOrder',
          data: { orderId: order.id, owner: alice.user.sub, items: order.items, total: order.total, currency: 'EUR', createdAt: order.createdAt },
        },
      }),
    ]);
    expect(await backbone.item(`ORDER#${order.id}`, `EVENT#${eventId}`)).toBeUndefined();

    // Downstream (rule → SNS → audit queue → write-audit-record), it is recorded once.
    const [record, ...others] = await eventually('the audit record of OrderCreated', async () => {
      const records = await backbone.auditRecords(eventId, order.createdAt);
      return records.length > 0 && records;
    });
    expect(others).toEqual([]);
    expect(record).toMatchObject({ entityType: 'AUDIT_RECORD', eventId, detailType: 'OrderCreated', source: 'orders.api', orderId: order.id, owner: alice.user.sub });
    expect(backbone.eventsOf('OrderCreated', order.id)).toHaveLength(1);
  });

  it("alice's order produces an email to her, captured by SES, naming the order", async () => {
    const order = await placeOrder(alice, [
      { sku: 'MUG-01', quantity: 2 },
      { sku: 'FILTER-01', quantity: 1 },
    ]);
    const email = await backbone.mail.waitFor((candidate) => candidate.subject.includes(order.id), 15_000);
    expect(email).toMatchObject({ from: 'orders@example.com', to: ['alice@example.com'], subject: `We received your order ${order.id}` });
    expect(email.text).toContain('2 x Stoneware mug (MUG-01) at €12.50');
    expect(email.text).toContain('Total: €29.50');
    expect(backbone.mail.list().filter((candidate) => candidate.subject.includes(order.id))).toHaveLength(1);
  });

  it('a publish that fails after the write leaves the event in the outbox; the scheduled sweep publishes it once with the same id', async () => {
    backbone.bus.failNextPutEvents(1);
    const order = await placeOrder(bob, [{ sku: 'MUG-01', quantity: 1 }]);
    const eventId = `OrderCreated:${order.id}`;

    // The write was accepted, so the mutation answered the order; the event waits in the outbox, not on the bus.
    expect(order).toMatchObject({ owner: bob.user.sub, status: 'PENDING', total: 1250 });
    expect(await sandbox.waitForLog((line) => line.includes('Events stay in the outbox for the republish sweep') && line.includes(eventId))).toContain('InternalException');
    expect(backbone.eventsOf('OrderCreated', order.id)).toEqual([]);
    const outboxItem = await backbone.item(`ORDER#${order.id}`, `EVENT#${eventId}`);
    expect(outboxItem).toMatchObject({ GSI4PK: 'OUTBOX', GSI4SK: `${order.createdAt}#${eventId}`, source: 'orders.api', detailType: 'OrderCreated', detail: { eventId } });

    // The sweep takes only items older than a minute (GSI4SK < now - 60 s): age this one in its index key, which is
    // exactly what the sweep selects on, then fire the next run of the republish-outbox schedule.
    const aged = new Date(Date.parse(order.createdAt) - 5 * 60_000).toISOString();
    await backbone.backdateOutboxItem(order.id, eventId, aged);
    expect(backbone.bus.tick(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);

    const published = await backbone.waitForEvent('OrderCreated', order.id);
    expect(published).toMatchObject({ source: 'orders.api', 'detail-type': 'OrderCreated', detail: outboxItem?.detail });
    await eventually('the outbox item to be deleted', async () => (await backbone.item(`ORDER#${order.id}`, `EVENT#${eventId}`)) === undefined);
    const [record, ...others] = await eventually('the audit record of the republished event', async () => {
      const records = await backbone.auditRecords(eventId, order.createdAt);
      return records.length > 0 && records;
    });
    expect(record).toMatchObject({ eventId, producer: 'appsync:createOrder' });
    expect(others).toEqual([]);
    expect(backbone.eventsOf('OrderCreated', order.id)).toHaveLength(1);
  });

  it('OrderCompleted delivered twice with the same event id awards the loyalty points once', async () => {
    const order = await placeOrder(bob, [
      { sku: 'KETTLE-01', quantity: 1 },
      { sku: 'TEA-01', quantity: 1 },
    ]);
    expect(order.total).toBe(7799);
    const completed = backbone.fulfilment.completed(order);
    const handled = (message: string) => (record: Record<string, unknown>) => record.message === message && record.orderId === order.id;

    await backbone.fulfilment.publish('OrderCompleted', completed);
    expect(await backbone.functionLog(NAMES.loyaltyFunction, handled('Loyalty points awarded'))).toMatchObject({ outcome: 'awarded', points: 77, eventId: completed.eventId });
    // The same fact again (a redelivery, or the producer retrying): same event id.
    await backbone.fulfilment.publish('OrderCompleted', completed);
    expect(await backbone.functionLog(NAMES.loyaltyFunction, handled('Loyalty points already awarded for this order'))).toMatchObject({ outcome: 'duplicate' });

    expect(await backbone.item(`CUSTOMER#${bob.user.sub}`, 'LOYALTY')).toMatchObject({ points: 77, owner: bob.user.sub });
    expect(await backbone.item(`ORDER#${order.id}`, 'LOYALTY_AWARDED')).toMatchObject({ points: 77, eventId: completed.eventId });
  });

  it('after all of the above, every delivery succeeded and every queue drained: nothing waits in a dead-letter queue', async () => {
    await backbone.bus.settled();
    expect(backbone.bus.deliveries().filter((delivery) => delivery.outcome !== 'delivered')).toEqual([]);
    expect(await backbone.queuesNotHolding()).toEqual({});
  });
});
