// The partner intake (issue 4, pattern 2) end to end: a partner's system POSTs orders with fetch and its API key;
// API Gateway validates and queues them with no Lambda in front; ingest-partner-order writes each order once and
// publishes it. An admin reads the orders through Amplify; SQS and the bus are read through their clients and
// the sandbox's inspectors.
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { partnerOrderId } from '../../../functions/ingest-partner-order/partner-order';
import { AmplifyApp, signInDemoUser } from './support/clients';
import { Backbone, NAMES, type PartnerOrderBody } from './support/backbone';
import { GET_ORDER, LIST_ORDERS, type Order } from './support/operations';
import { SandboxUnderTest } from './support/sandbox';
import { trustSandboxCa } from './support/trust';

// One partner per test, so each test's orders are its own whatever ran before it.
const PARTNERS = { retrying: 'acme-coffee', careless: 'bean-bros', poisoning: 'corner-cafe' } as const;

let sandbox: SandboxUnderTest;
let backbone: Backbone;
let admin: AmplifyApp;

/** Every PENDING order of a partner, as an admin lists them. */
async function partnerOrders(partnerId: string): Promise<Order[]> {
  const { listOrders } = await admin.data<{ listOrders: { items: Order[] } }>(LIST_ORDERS, { status: 'PENDING' });
  return listOrders.items.filter((order) => order.owner === `partner:${partnerId}`);
}

beforeAll(async () => {
  sandbox = await SandboxUnderTest.start();
  trustSandboxCa(sandbox.ca);
  backbone = new Backbone(sandbox);
  const user = await signInDemoUser(sandbox.endpoints, 'admin@example.com');
  admin = new AmplifyApp(sandbox.endpoints, user.tokenProvider);
}, 120_000);

afterAll(async () => {
  try {
    backbone?.destroy();
  } finally {
    await sandbox?.dispose();
  }
}, 30_000);

describe('partner intake, end to end with real clients', () => {
  it('a valid partner order is accepted with 202, becomes one order and is announced on the bus; a repeat of the reference changes nothing', async () => {
    const partnerId = PARTNERS.retrying;
    const items = [
      { sku: 'MUG-01', quantity: 4 },
      { sku: 'FILTER-01', quantity: 2 },
    ];
    const body: PartnerOrderBody = { partnerId, partnerReference: 'PO-2024-0001', items };
    const orderId = partnerOrderId(partnerId, body.partnerReference);
    const accepted = await backbone.partner.post(body);
    expect(accepted).toEqual({ status: 202, body: { messageId: expect.stringMatching(/\S/), requestId: expect.stringMatching(/\S/) } });

    const received = await backbone.waitForEvent('PartnerOrderReceived', orderId);
    expect(received).toMatchObject({
      source: 'orders.partners',
      detail: {
        eventId: `PartnerOrderReceived:${orderId}`,
        correlationId: orderId,
        producer: 'lambda:ingest-partner-order',
        data: { partnerId, partnerReference: body.partnerReference, orderId, owner: `partner:${partnerId}` },
      },
    });
    const order = {
      id: orderId,
      owner: `partner:${partnerId}`,
      items: [
        { sku: 'MUG-01', name: 'Stoneware mug', quantity: 4, unitPrice: 1250 },
        { sku: 'FILTER-01', name: 'Paper filters (100)', quantity: 2, unitPrice: 450 },
      ],
      total: 5900,
      currency: 'EUR',
      status: 'PENDING',
      statusReason: null,
      createdAt: received.detail.occurredAt,
      updatedAt: received.detail.occurredAt,
    };
    expect(await admin.data(GET_ORDER, { id: orderId })).toEqual({ getOrder: order });
    expect(backbone.eventsOf('OrderCreated', orderId)).toEqual([expect.objectContaining({ detail: expect.objectContaining({ eventId: `OrderCreated:${orderId}` }) })]);

    // The partner retries (a timeout on its side): accepted again, recognised by the consumer as the same order.
    const retried = await backbone.partner.post(body);
    expect(retried).toMatchObject({ status: 202 });
    expect((retried.body as { messageId: string }).messageId).not.toBe((accepted.body as { messageId: string }).messageId);
    await backbone.functionLog(NAMES.ingestFunction, (record) => record.message === 'Partner order handled' && record.orderId === orderId && record.outcome === 'duplicate');
    expect(await partnerOrders(partnerId)).toEqual([order]);
    expect(backbone.eventsOf('PartnerOrderReceived', orderId)).toHaveLength(1);
  });

  it('a malformed body is refused with 400 naming the problem, a call without the API key with 403; neither reaches the queue', async () => {
    const partnerId = PARTNERS.careless;
    const partnerOrder = (partnerReference: string): PartnerOrderBody => ({ partnerId, partnerReference, items: [{ sku: 'MUG-01', quantity: 1 }] });
    const partnerQueue = await backbone.queueUrl(NAMES.partnerQueue);
    // API Gateway's validator words problems as AWS does: the rule and the offending value or property, not the path.
    const malformed = await backbone.partner.post({ partnerId, partnerReference: 'PO-2024-0002', items: [{ sku: 'MUG-01', quantity: 0 }] });
    expect(malformed).toEqual({
      status: 400,
      body: { message: 'Invalid request body', problems: '[numeric instance is lower than the required minimum (minimum: 1, found: 0)]', requestId: expect.any(String) },
    });
    const unknownField = await backbone.partner.post({ ...partnerOrder('PO-2024-0003'), discount: 50 });
    expect(unknownField).toMatchObject({ status: 400, body: { problems: '[object instance has properties which are not allowed by the schema: ["discount"]]' } });
    expect(await backbone.partner.post('{"partnerId": "acme-coffee",')).toMatchObject({ status: 400, body: { message: 'Invalid request body' } });

    expect(await backbone.partner.post(partnerOrder('PO-2024-0004'), { apiKey: null })).toEqual({ status: 403, body: { message: 'Forbidden' } });
    expect(backbone.queues.depth(partnerQueue)).toBe(0);
    for (const reference of ['PO-2024-0002', 'PO-2024-0003', 'PO-2024-0004']) {
      expect(await admin.data(GET_ORDER, { id: partnerOrderId(partnerId, reference) })).toEqual({ getOrder: null });
    }
  });

  it('a poison message (an unknown sku) ends in the partner DLQ after maxReceiveCount; the orders beside it are processed and no other DLQ holds anything', async () => {
    const partnerId = PARTNERS.poisoning;
    const partnerOrder = (partnerReference: string, sku: string): PartnerOrderBody => ({ partnerId, partnerReference, items: [{ sku, quantity: 1 }] });
    const partnerQueue = await backbone.queueUrl(NAMES.partnerQueue);
    const partnerDlq = await backbone.queueUrl(`${NAMES.partnerQueue}-dlq`);
    // The synthesized visibility timeout (6 x the consumer's timeout: 120 s) would make each redelivery wait two
    // minutes. Shorten it on the running queue, through SQS, as an operator could; the platform's config is untouched.
    await backbone.sqs.send(new SetQueueAttributesCommand({ QueueUrl: partnerQueue, Attributes: { VisibilityTimeout: '2' } }));
    try {
      const poison = partnerOrder('PO-2024-0666', 'NOPE-01');
      const good = ['PO-2024-0010', 'PO-2024-0011'].map((reference) => partnerOrder(reference, 'TEA-01'));
      const answers = await Promise.all([good[0], poison, good[1]].map((body) => backbone.partner.post(body as PartnerOrderBody)));
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);

      for (const body of good) await backbone.waitForEvent('PartnerOrderReceived', partnerOrderId(partnerId, body.partnerReference));
      await backbone.queues.waitForDepth(partnerDlq, 1, 30_000);
      // Every queue drains but the partner DLQ, which holds the poison message and nothing else.
      expect(await backbone.queuesNotHolding({ [`${NAMES.partnerQueue}-dlq`]: 1 })).toEqual({});
      const [dead, ...more] = await backbone.queues.receiveAll(partnerDlq);
      expect(more).toEqual([]);
      expect(JSON.parse(dead?.Body ?? 'null')).toEqual(poison);
      // Received maxReceiveCount (3) times by the consumer; the fourth receive moved it.
      const failures = sandbox.log.filter((line) => line.includes(`[lambda:${NAMES.ingestFunction}]`) && line.includes('"message":"Record failed"') && line.includes('NOPE-01'));
      expect(failures).toHaveLength(3);
      expect(failures[0]).toContain('items[0].sku names no product (NOPE-01)');

      expect(backbone.eventsOf('PartnerOrderReceived', partnerOrderId(partnerId, poison.partnerReference))).toEqual([]);
      expect((await partnerOrders(partnerId)).map((order) => order.id).sort()).toEqual(good.map((body) => partnerOrderId(partnerId, body.partnerReference)).sort());
    } finally {
      await backbone.sqs.send(new SetQueueAttributesCommand({ QueueUrl: partnerQueue, Attributes: { VisibilityTimeout: '120' } }));
    }
  });
});
