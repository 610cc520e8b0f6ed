import '../support/environment';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { idempotencyStore, idempotentOnEventId } from '../../../functions/lib/idempotency';
import { handler } from '../../../functions/send-order-email/handler';
import { sendOrderEmail } from '../../../functions/send-order-email/send-email';
import { domainEvent, EXAMPLE_ORDER_ID, EXAMPLE_OWNER, validDomainEvent } from '../factories/eventbridge';
import { lambdaContext } from '../factories/lambda';
import { sqsEvent, sqsRecord } from '../factories/sqs';
import { InMemoryIdempotencyStore } from '../fakes/idempotency-store';
import { FakeTable } from '../fakes/table';

const PROFILE = { PK: `CUSTOMER#${EXAMPLE_OWNER}`, SK: 'PROFILE', email: 'ann@example.org', name: 'Ann' };

describe('sendOrderEmail', () => {
  const ses = mockClient(SESv2Client);
  const sesClient = new SESv2Client({});
  beforeEach(() => {
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  });

  it('emails the address in the customer’s profile', async () => {
    const table = new FakeTable().seed(PROFILE);
    const result = await sendOrderEmail(validDomainEvent('OrderCreated'), { table: table.client(), ses: sesClient, tableName: table.tableName, fromAddress: 'orders@example.com' });
    expect(result).toEqual({ outcome: 'sent', messageId: 'ses-1' });
    const input = ses.commandCalls(SendEmailCommand)[0].args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'orders@example.com',
      Destination: { ToAddresses: ['ann@example.org'] },
      Content: { Simple: { Subject: { Data: `We received your order ${EXAMPLE_ORDER_ID}`, Charset: 'UTF-8' } } },
      EmailTags: [{ Name: 'detailType', Value: 'OrderCreated' }],
    });
    expect(input.Content?.Simple?.Body?.Text?.Data).toContain('Hello Ann,');
    expect(input.Content?.Simple?.Body?.Html?.Data).toContain('<p>Hello Ann,</p>');
  });

  it('skips a customer without a profile (written at sign-up by a later trigger) without failing', async () => {
    const table = new FakeTable();
    const result = await sendOrderEmail(validDomainEvent('OrderCreated'), { table: table.client(), ses: sesClient, tableName: table.tableName, fromAddress: 'orders@example.com' });
    expect(result).toEqual({ outcome: 'skipped-no-profile' });
    expect(ses.calls()).toHaveLength(0);
  });

  it('turns an SES rejection into a permanent failure', async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const table = new FakeTable().seed(PROFILE);
    await expect(sendOrderEmail(validDomainEvent('OrderFailed'), { table: table.client(), ses: sesClient, tableName: table.tableName, fromAddress: 'orders@example.com' })).rejects.toThrow(
      'SES refused the OrderFailed email: MessageRejected: Email address is not verified.',
    );
  });

  it('sends once per event id: a duplicate delivery returns the first result, marked replayed', async () => {
    const table = new FakeTable().seed(PROFILE);
    const sendOnce = idempotentOnEventId(sendOrderEmail, { persistenceStore: new InMemoryIdempotencyStore(), functionName: 'send-order-email' });
    sendOnce.registerLambdaContext(lambdaContext());
    const deps = { table: table.client(), ses: sesClient, tableName: table.tableName, fromAddress: 'orders@example.com' };
    const event = validDomainEvent('OrderStatusChanged');
    const first = await sendOnce(event, deps);
    const second = await sendOnce({ ...event, id: 'another-delivery' }, deps);
    const other = await sendOnce(validDomainEvent('OrderStatusChanged', { detail: { eventId: `OrderStatusChanged:${EXAMPLE_ORDER_ID}:DELIVERED` } }), deps);
    expect([first, second, other]).toEqual([
      { outcome: 'sent', messageId: 'ses-1' },
      { outcome: 'sent', messageId: 'ses-1', replayed: true },
      { outcome: 'sent', messageId: 'ses-1' },
    ]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });
});

describe('idempotencyStore', () => {
  const dynamo = mockClient(DynamoDBClient);
  beforeEach(() => dynamo.reset());

  it('keeps records on the single table: PK IDEMPOTENCY#<function>, SK <function>#<md5>, expiry in expiresAt', async () => {
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});
    const store = idempotencyStore(new DynamoDBClient({}), 'orders-test', 'send-order-email');
    const run = idempotentOnEventId(async (_event: { detail: { eventId: string } }) => ({ done: true }), { persistenceStore: store, functionName: 'send-order-email' });
    run.registerLambdaContext(lambdaContext());
    await run({ detail: { eventId: 'OrderCreated:1' } });
    const put = dynamo.commandCalls(PutItemCommand)[0].args[0].input;
    expect(put.TableName).toBe('orders-test');
    expect(put.Item?.PK).toEqual({ S: 'IDEMPOTENCY#send-order-email' });
    expect(put.Item?.SK?.S).toMatch(/^send-order-email#[A-Za-z0-9+/]{22}==$/);
    expect(put.Item?.status).toEqual({ S: 'INPROGRESS' });
    expect(Number(put.Item?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 6 * 24 * 3600);
    expect(dynamo.commandCalls(UpdateItemCommand)[0].args[0].input.Key).toEqual(put.Item && { PK: put.Item.PK, SK: put.Item.SK });
  });
});

describe('send-order-email handler', () => {
  const documentClient = mockClient(DynamoDBDocumentClient);
  const dynamo = mockClient(DynamoDBClient);
  const ses = mockClient(SESv2Client);
  beforeEach(() => {
    [documentClient, dynamo, ses].forEach((mock) => mock.reset());
    new FakeTable('orders-test').seed(PROFILE).serve(documentClient);
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  });

  it('reports only the poison message failed; the others are emailed or skipped', async () => {
    const poison = domainEvent('OrderCreated', { data: { items: [] } });
    const response = await handler(
      sqsEvent(
        sqsRecord(validDomainEvent('OrderCreated'), { messageId: 'created' }),
        sqsRecord(poison, { messageId: 'poison' }),
        sqsRecord(validDomainEvent('OrderCompleted', { data: { owner: 'partner:acme' } }), { messageId: 'partner' }),
      ),
      lambdaContext('orders-test-send-order-email'),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });
});
