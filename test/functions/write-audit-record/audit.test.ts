import '../support/environment';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { writeAuditRecord } from '../../../functions/write-audit-record/audit';
import { handler } from '../../../functions/write-audit-record/handler';
import { domainEvent, EXAMPLE_ORDER_ID, EXAMPLE_OWNER, validDomainEvent } from '../factories/eventbridge';
import { lambdaContext } from '../factories/lambda';
import { snsMessage } from '../factories/sns';
import { sqsEvent, sqsRecord } from '../factories/sqs';
import { FakeTable } from '../fakes/table';

describe('writeAuditRecord', () => {
  it('keeps the whole event in its UTC day’s partition, once', async () => {
    const table = new FakeTable();
    const event = validDomainEvent('OrderCancelled', { detail: { occurredAt: '2026-11-28T23:30:00.000-02:00' } });
    const deps = { client: table.client(), tableName: table.tableName, now: () => new Date('2026-11-29T01:31:00.000Z') };
    expect([await writeAuditRecord(event, deps), await writeAuditRecord(event, deps)]).toEqual(['written', 'duplicate']);
    const records = table.partition('AUDIT#2026-11-29');
    expect(records).toEqual([
      {
        PK: 'AUDIT#2026-11-29',
        SK: `2026-11-29T01:30:00.000Z#OrderCancelled:${EXAMPLE_ORDER_ID}`,
        entityType: 'AUDIT_RECORD',
        eventId: `OrderCancelled:${EXAMPLE_ORDER_ID}`,
        detailType: 'OrderCancelled',
        source: 'orders.api',
        correlationId: EXAMPLE_ORDER_ID,
        producer: 'test',
        occurredAt: '2026-11-28T23:30:00.000-02:00',
        orderId: EXAMPLE_ORDER_ID,
        owner: EXAMPLE_OWNER,
        event,
        recordedAt: '2026-11-29T01:31:00.000Z',
      },
    ]);
  });
});

describe('write-audit-record handler', () => {
  const documentClient = mockClient(DynamoDBDocumentClient);
  let table: FakeTable;
  beforeEach(() => {
    documentClient.reset();
    table = new FakeTable('orders-test');
    table.serve(documentClient);
  });

  it('reports only the poison message failed, whatever the event type of the others', async () => {
    const response = await handler(
      sqsEvent(
        sqsRecord(validDomainEvent('OrderCreated'), { messageId: 'created' }),
        sqsRecord(domainEvent('OrderFailed', { detail: { occurredAt: 'yesterday' } }), { messageId: 'poison' }),
        sqsRecord(snsMessage(validDomainEvent('PartnerOrderReceived')), { messageId: 'enveloped' }),
      ),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(table.partition('AUDIT#2026-11-28').map((item) => item.detailType)).toEqual(['OrderCreated', 'PartnerOrderReceived']);
  });
});
