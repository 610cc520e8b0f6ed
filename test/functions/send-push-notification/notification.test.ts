import '../support/environment';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../functions/send-push-notification/handler';
import { writeNotification } from '../../../functions/send-push-notification/notification';
import { EXAMPLE_ORDER_ID, EXAMPLE_OWNER, validDomainEvent } from '../factories/eventbridge';
import { lambdaContext } from '../factories/lambda';
import { sqsEvent, sqsRecord } from '../factories/sqs';
import { FakeTable } from '../fakes/table';

const now = () => new Date('2026-11-28T12:00:00.000Z');
const SHIPPED_KEY = `NOTIFICATION#2026-11-28T10:00:00.000Z#OrderStatusChanged:${EXAMPLE_ORDER_ID}`;

describe('writeNotification', () => {
  it('puts an unread inbox item in the customer’s partition, keyed by time and event id', async () => {
    const table = new FakeTable();
    await expect(writeNotification(validDomainEvent('OrderStatusChanged'), { client: table.client(), tableName: table.tableName, now })).resolves.toBe('written');
    expect(table.get(`CUSTOMER#${EXAMPLE_OWNER}`, SHIPPED_KEY)).toEqual({
      PK: `CUSTOMER#${EXAMPLE_OWNER}`,
      SK: SHIPPED_KEY,
      entityType: 'NOTIFICATION',
      title: 'Your order is on its way',
      body: `Order ${EXAMPLE_ORDER_ID}: your order is on its way.`,
      orderId: EXAMPLE_ORDER_ID,
      eventId: `OrderStatusChanged:${EXAMPLE_ORDER_ID}`,
      detailType: 'OrderStatusChanged',
      read: false,
      createdAt: '2026-11-28T12:00:00.000Z',
      expiresAt: Date.parse('2026-11-28T12:00:00.000Z') / 1000 + 90 * 24 * 3600,
    });
  });

  it('writes a redelivered event once', async () => {
    const table = new FakeTable();
    const deps = { client: table.client(), tableName: table.tableName, now };
    const event = validDomainEvent('OrderCompleted');
    expect([await writeNotification(event, deps), await writeNotification(event, deps)]).toEqual(['written', 'duplicate']);
    expect(table.partition(`CUSTOMER#${EXAMPLE_OWNER}`)).toHaveLength(1);
  });
});

describe('send-push-notification handler', () => {
  const documentClient = mockClient(DynamoDBDocumentClient);
  let table: FakeTable;
  beforeEach(() => {
    documentClient.reset();
    table = new FakeTable('orders-test');
    table.serve(documentClient);
  });

  it('reports only the poison message failed', async () => {
    const poison = sqsRecord(validDomainEvent('OrderCreated'), { messageId: 'not-a-shipping-event' });
    const response = await handler(
      sqsEvent(sqsRecord(validDomainEvent('OrderStatusChanged'), { messageId: 'shipped' }), poison, sqsRecord(validDomainEvent('OrderCompleted'), { messageId: 'delivered' })),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'not-a-shipping-event' }] });
    expect(table.partition(`CUSTOMER#${EXAMPLE_OWNER}`).map((item) => item.detailType)).toEqual(['OrderStatusChanged', 'OrderCompleted']);
  });
});
