import '../support/environment';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { validateEventDetail } from '../../../events/validate';
import { handler } from '../../../functions/ingest-partner-order/handler';
import { ingestPartnerOrder } from '../../../functions/ingest-partner-order/ingest';
import { parsePartnerOrderMessage, partnerOrderId, partnerOrderProblems } from '../../../functions/ingest-partner-order/partner-order';
import { lambdaContext } from '../factories/lambda';
import { sqsEvent, sqsRecord } from '../factories/sqs';
import { FakeTable } from '../fakes/table';

const CATALOGUE = [
  { PK: 'PRODUCT#MUG-01', SK: 'PRODUCT', sku: 'MUG-01', name: 'Stoneware mug', price: 1250, currency: 'EUR', stock: 40 },
  { PK: 'PRODUCT#TEA-EARL', SK: 'PRODUCT', sku: 'TEA-EARL', name: 'Earl Grey, 100 g', price: 799, currency: 'EUR', stock: 5 },
];
const BODY = { partnerId: 'acme', partnerReference: 'PO-2026-0042', items: [{ sku: 'MUG-01', quantity: 3 }, { sku: 'TEA-EARL', quantity: 2 }] };
const SENT = Date.parse('2026-11-28T09:15:00.000Z');
const ORDER_ID = partnerOrderId('acme', 'PO-2026-0042');

function acceptAll(input: { Entries: unknown[] }) {
  return { FailedEntryCount: 0, Entries: input.Entries.map((_, index) => ({ EventId: `eb-${index}` })) };
}

function message(body: object = BODY, messageId = 'msg-1') {
  return parsePartnerOrderMessage(sqsRecord(body, { messageId, sentTimestamp: SENT, queueName: 'orders-test-partner-orders' }));
}

describe('partner order validation', () => {
  it('names every broken field and rule', () => {
    expect(partnerOrderProblems({ partnerId: 'ACME', items: [{ sku: 'mug', quantity: 0 }, { sku: 'MUG-01', quantity: 1.5, price: 1 }, { sku: 'MUG-01', quantity: 1 }], note: 'x' })).toEqual([
      { field: 'partnerId', rule: 'must be 2-64 lower-case letters, digits or dashes' },
      { field: 'partnerReference', rule: 'must be 1-128 characters without control characters' },
      { field: 'items[0].sku', rule: 'must be 2-32 upper-case letters, digits or dashes, starting with a letter or digit' },
      { field: 'items[0].quantity', rule: 'must be an integer from 1 to 1000' },
      { field: 'items[1].quantity', rule: 'must be an integer from 1 to 1000' },
      { field: 'items[1].price', rule: 'is not a field of an order line' },
      { field: 'items[2].sku', rule: 'must appear only once per order' },
      { field: 'note', rule: 'is not a field of a partner order' },
    ]);
  });

  it('rejects an invalid message as a whole, with the message id', () => {
    expect(() => message({ ...BODY, items: [] }, 'm-9')).toThrow('Partner order message m-9 is invalid: items must be an array of 1 to 50 lines');
    expect(() => parsePartnerOrderMessage(sqsRecord('<order/>', { messageId: 'm-10' }))).toThrow('Partner order message m-10 is invalid: body must be JSON');
  });
});

describe('partnerOrderId', () => {
  it('is deterministic per partner and reference, and distinct across them', () => {
    expect(ORDER_ID).toMatch(/^PO-[0-9a-f]{32}$/);
    expect(partnerOrderId('acme', 'PO-2026-0042')).toBe(ORDER_ID);
    expect(new Set([ORDER_ID, partnerOrderId('acme', 'PO-2026-0043'), partnerOrderId('globex', 'PO-2026-0042')]).size).toBe(3);
  });
});

describe('ingestPartnerOrder', () => {
  const eventBridge = mockClient(EventBridgeClient);
  const events = new EventBridgeClient({});
  let table: FakeTable;
  let deps: Parameters<typeof ingestPartnerOrder>[1];
  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
    table = new FakeTable().seed(...CATALOGUE);
    deps = { table: table.client(), events, tableName: table.tableName, busName: 'orders-test-bus' };
  });

  it('writes a priced PENDING order owned by the partner, publishes its events and clears the outbox', async () => {
    await expect(ingestPartnerOrder(message(), deps)).resolves.toEqual({ outcome: 'created', orderId: ORDER_ID });
    expect(table.get(`ORDER#${ORDER_ID}`, 'ORDER')).toEqual({
      PK: `ORDER#${ORDER_ID}`,
      SK: 'ORDER',
      id: ORDER_ID,
      owner: 'partner:acme',
      items: [
        { sku: 'MUG-01', name: 'Stoneware mug', quantity: 3, unitPrice: 1250 },
        { sku: 'TEA-EARL', name: 'Earl Grey, 100 g', quantity: 2, unitPrice: 799 },
      ],
      total: 5348,
      currency: 'EUR',
      status: 'PENDING',
      createdAt: '2026-11-28T09:15:00.000Z',
      updatedAt: '2026-11-28T09:15:00.000Z',
      GSI1PK: 'CUSTOMER#partner:acme',
      GSI1SK: `2026-11-28T09:15:00.000Z#${ORDER_ID}`,
      GSI2PK: 'CUSTOMER#partner:acme#STATUS#PENDING',
      GSI2SK: `2026-11-28T09:15:00.000Z#${ORDER_ID}`,
      GSI3PK: 'STATUS#PENDING',
      GSI3SK: `2026-11-28T09:15:00.000Z#${ORDER_ID}`,
      entityType: 'ORDER',
      partnerId: 'acme',
      partnerReference: 'PO-2026-0042',
    });
    expect(table.get('PARTNER#acme', 'REFERENCE#PO-2026-0042')).toMatchObject({ orderId: ORDER_ID });
    const entries = eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
    expect(entries.map((entry) => [entry.Source, entry.DetailType, JSON.parse(entry.Detail as string).eventId])).toEqual([
      ['orders.partners', 'PartnerOrderReceived', `PartnerOrderReceived:${ORDER_ID}`],
      ['orders.api', 'OrderCreated', `OrderCreated:${ORDER_ID}`],
    ]);
    for (const entry of entries) expect(() => validateEventDetail(entry.DetailType as string, JSON.parse(entry.Detail as string))).not.toThrow();
    expect(table.partition(`ORDER#${ORDER_ID}`).map((item) => item.SK)).toEqual(['ORDER']);
  });

  it('treats a redelivery as a duplicate: the same order, written once, nothing published again', async () => {
    await ingestPartnerOrder(message(BODY, 'msg-1'), deps);
    const before = structuredClone(table.get(`ORDER#${ORDER_ID}`, 'ORDER'));
    await expect(ingestPartnerOrder(message(BODY, 'msg-1-redelivered'), deps)).resolves.toEqual({ outcome: 'duplicate', orderId: ORDER_ID });
    expect(table.get(`ORDER#${ORDER_ID}`, 'ORDER')).toEqual(before);
    expect(table.calls.filter((call) => call.command === 'TransactWriteCommand')).toHaveLength(1);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('keeps the events PutEvents refused in the outbox, and a redelivery publishes them', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'eb-0' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .callsFake(acceptAll);
    await expect(ingestPartnerOrder(message(), deps)).resolves.toEqual({ outcome: 'created-publish-deferred', orderId: ORDER_ID });
    const outbox = table.partition(`ORDER#${ORDER_ID}`).filter((item) => String(item.SK).startsWith('EVENT#'));
    expect(outbox.map((item) => [item.SK, item.GSI4PK, item.GSI4SK, item.entityType, item.source, item.detailType])).toEqual([
      [`EVENT#OrderCreated:${ORDER_ID}`, 'OUTBOX', `2026-11-28T09:15:00.000Z#OrderCreated:${ORDER_ID}`, 'OUTBOX_EVENT', 'orders.api', 'OrderCreated'],
    ]);
    await expect(ingestPartnerOrder(message(BODY, 'msg-1-redelivered'), deps)).resolves.toEqual({ outcome: 'duplicate', orderId: ORDER_ID });
    const republished = eventBridge.commandCalls(PutEventsCommand)[1].args[0].input.Entries ?? [];
    expect(republished.map((entry) => JSON.parse(entry.Detail as string).eventId)).toEqual([`OrderCreated:${ORDER_ID}`]);
    expect(table.partition(`ORDER#${ORDER_ID}`).map((item) => item.SK)).toEqual(['ORDER']);
  });

  it('answers a concurrent delivery that won the write as a duplicate', async () => {
    await ingestPartnerOrder(message(), deps);
    // This delivery read the catalogue before the other one wrote the order.
    const order = table.get(`ORDER#${ORDER_ID}`, 'ORDER');
    table.items.delete(`ORDER#${ORDER_ID}\u0000ORDER`);
    const racing = { ...deps, table: { send: async (command: { constructor: { name: string } }) => {
      const result = await table.client().send(command as never);
      if (command.constructor.name === 'BatchGetCommand' && order) table.seed(order);
      return result;
    } } as typeof deps.table };
    await expect(ingestPartnerOrder(message(), racing)).resolves.toEqual({ outcome: 'duplicate', orderId: ORDER_ID });
  });

  it('refuses an unknown sku, short stock and mixed currencies for good, writing nothing', async () => {
    table.seed({ PK: 'PRODUCT#CUP-USD', SK: 'PRODUCT', sku: 'CUP-USD', name: 'Cup', price: 500, currency: 'USD', stock: 9 });
    const order = { ...BODY, items: [{ sku: 'NOPE-1', quantity: 1 }, { sku: 'TEA-EARL', quantity: 6 }, { sku: 'CUP-USD', quantity: 1 }] };
    await expect(ingestPartnerOrder(message(order), deps)).rejects.toThrow(
      'Partner order acme/PO-2026-0042 is invalid: items[0].sku names no product (NOPE-1); items[1].quantity exceeds the 5 in stock; items must all be priced in one currency (found EUR, USD)',
    );
    expect(table.calls.map((call) => call.command)).toEqual(['BatchGetCommand']);
  });
});

describe('ingest-partner-order handler', () => {
  const documentClient = mockClient(DynamoDBDocumentClient);
  const eventBridge = mockClient(EventBridgeClient);
  let table: FakeTable;
  beforeEach(() => {
    documentClient.reset();
    eventBridge.reset();
    table = new FakeTable('orders-test').seed(...CATALOGUE);
    table.serve(documentClient);
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
  });

  it('reports only the poison message failed; a redelivered order in the same batch is a duplicate, not a failure', async () => {
    const response = await handler(
      sqsEvent(
        sqsRecord(BODY, { messageId: 'order', sentTimestamp: SENT }),
        sqsRecord({ ...BODY, partnerReference: 'PO-2026-0043', items: [{ sku: 'GHOST-9', quantity: 1 }] }, { messageId: 'poison' }),
        sqsRecord(BODY, { messageId: 'order-again', sentTimestamp: SENT, receiveCount: 2 }),
      ),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect([...table.items.values()].filter((item) => item.SK === 'ORDER').map((item) => item.id)).toEqual([ORDER_ID]);
  });
});
