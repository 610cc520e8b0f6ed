import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DeliveryRecord } from '../../../../sandbox/services/eventbridge';
import {
  ACCOUNT,
  APPSYNC_ROLE_ARN,
  BUS,
  DLQ_ARN,
  FIFO_QUEUE_ARN,
  PUBLISH_OPERATION,
  startEventBridgeSandbox,
  statusChanged,
  tempDir,
  TOPIC_ARN,
  writePlatform,
} from './fixture';

let env: Awaited<ReturnType<typeof startEventBridgeSandbox>>;
const dirs: { cleanup: () => void }[] = [];

beforeAll(async () => {
  const out = tempDir('eb-route-out-');
  const data = tempDir('eb-route-data-');
  dirs.push(out, data);
  env = await startEventBridgeSandbox(writePlatform(out.path), data.path);
});

afterAll(async () => {
  await env.stop();
  for (const dir of dirs) dir.cleanup();
});

function orderCreated(orderId: string, data: Record<string, unknown>) {
  return { EventBusName: BUS, Source: 'orders.service', DetailType: 'OrderCreated', Detail: JSON.stringify({ eventId: `OrderCreated:${orderId}`, data: { orderId, ...data } }) };
}

const forOrder = (orderId: string) => (delivery: DeliveryRecord) => (delivery.event?.detail.data as { orderId?: string } | undefined)?.orderId === orderId;

describe('routing by event pattern', () => {
  it('sends an event to the targets of every rule whose pattern matches, and no other', async () => {
    const answer = await env.client.send(new PutEventsCommand({ Entries: [statusChanged('r-1', 'COMPLETED', { customerEmail: 'ada@example.com' })] }));
    const eventId = answer.Entries?.[0]?.EventId;
    await env.inspect.settled();
    const rules = env.inspect
      .deliveries()
      .filter((delivery) => delivery.event?.id === eventId)
      .map((delivery) => `${delivery.ruleName}/${delivery.targetId}:${delivery.outcome}`)
      .sort();
    // order-completed (source + detail-type + nested detail value), customer-notifications (wildcard + exists),
    // order-status-to-appsync (anything-but prefix); not big-orders (OrderCreated only) nor the disabled rule.
    expect(rules).toEqual(['customer-notifications/notifications-topic:delivered', 'order-completed/loyalty:delivered', 'order-status-to-appsync/publish-order-update:delivered']);
    const loyalty = env.fakes.lambda.invocations.find((invocation) => (invocation.event as { id?: string }).id === eventId);
    expect(loyalty).toMatchObject({ functionName: 'award-loyalty-points', options: { invocationType: 'Event' } });
    expect(loyalty?.event).toMatchObject({ 'detail-type': 'OrderStatusChanged', detail: { data: { orderId: 'r-1' } } });
  });

  it('applies numeric, prefix and anything-but operators', async () => {
    await env.client.send(
      new PutEventsCommand({
        Entries: [
          orderCreated('r-small', { total: 99.5, currency: 'EUR' }),
          orderCreated('r-big', { total: 100, currency: 'EUR' }),
          orderCreated('r-void', { total: 500, currency: 'XXX' }),
        ],
      }),
    );
    await env.inspect.settled();
    const matched = env.inspect
      .deliveries()
      .filter((delivery) => delivery.ruleName === 'big-orders')
      .map((delivery) => (delivery.event?.detail.data as { orderId: string }).orderId);
    expect(matched).toEqual(['r-big']);
  });

  it('ignores disabled rules', async () => {
    await env.client.send(new PutEventsCommand({ Entries: [statusChanged('r-2', 'PACKED')] }));
    await env.inspect.settled();
    expect(env.inspect.deliveries().some((delivery) => delivery.ruleName === 'retired')).toBe(false);
    expect(env.fakes.lambda.of('retired')).toEqual([]);
  });
});

describe('target input', () => {
  it('renders an input transformer and sends FIFO messages with the group id and the event id for deduplication', async () => {
    const answer = await env.client.send(new PutEventsCommand({ Entries: [orderCreated('r-fifo', { total: 250, currency: 'EUR' })] }));
    const delivery = await env.inspect.waitForDelivery((candidate) => candidate.ruleName === 'big-orders' && forOrder('r-fifo')(candidate));
    expect(delivery.outcome).toBe('delivered');
    const message = env.fakes.queues.of(FIFO_QUEUE_ARN).find((candidate) => candidate.body.includes('r-fifo'));
    expect(message).toEqual({
      queue: FIFO_QUEUE_ARN,
      body: '{"order": "r-fifo", "amount": 250, "from": "orders.service", "matchedBy": "big-orders"}',
      messageGroupId: 'big-orders',
      deduplicationId: answer.Entries?.[0]?.EventId,
    });
    expect(JSON.parse(message?.body as string)).toEqual({ order: 'r-fifo', amount: 250, from: 'orders.service', matchedBy: 'big-orders' });
  });

  it('sends the part of the event an input path selects', async () => {
    await env.client.send(new PutEventsCommand({ Entries: [statusChanged('r-sns', 'SHIPPED', { customerEmail: 'grace@example.com' })] }));
    await env.inspect.waitForDelivery((candidate) => candidate.ruleName === 'customer-notifications' && forOrder('r-sns')(candidate));
    const published = env.fakes.topics.messages.find((message) => message.message.includes('r-sns'));
    expect(published?.topic).toBe(TOPIC_ARN);
    expect(JSON.parse(published?.message as string)).toEqual({ orderId: 'r-sns', status: 'SHIPPED', customerEmail: 'grace@example.com' });
  });
});

describe('AppSync targets', () => {
  it('runs the graphql operation with the transformed input as variables, as an IAM caller with the target role', async () => {
    await env.client.send(new PutEventsCommand({ Entries: [statusChanged('r-gql', 'SHIPPED')] }));
    const delivery = await env.inspect.waitForDelivery((candidate) => candidate.targetId === 'publish-order-update' && forOrder('r-gql')(candidate));
    expect(delivery).toMatchObject({ outcome: 'delivered', targetKind: 'appsync', input: '{"orderId": "r-gql", "status": "SHIPPED"}' });
    const call = env.fakes.appsync.calls.find((candidate) => candidate.request.variables?.orderId === 'r-gql');
    expect(call?.request).toEqual({ query: PUBLISH_OPERATION, variables: { orderId: 'r-gql', status: 'SHIPPED' } });
    expect(call?.caller).toMatchObject({
      mode: 'AWS_IAM',
      identity: {
        accountId: ACCOUNT,
        userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/events-appsync/eventbridge-sandbox`,
        username: expect.stringMatching(/^AROA[A-Z0-9]+:eventbridge-sandbox$/),
        cognitoIdentityPoolId: null,
      },
    });
    expect(APPSYNC_ROLE_ARN).toContain('/service/events-appsync');
  });

  it('counts a GraphQL error as a failed delivery: retried, then dead-lettered', async () => {
    env.fakes.appsync.failNext(2);
    await env.client.send(new PutEventsCommand({ Entries: [statusChanged('r-gql-fail', 'SHIPPED')] }));
    const delivery = await env.inspect.waitForDelivery((candidate) => candidate.targetId === 'publish-order-update' && forOrder('r-gql-fail')(candidate));
    expect(delivery.outcome).toBe('dead-lettered');
    expect(delivery.attempts.map((attempt) => attempt.error?.code)).toEqual(['ERROR_FROM_TARGET', 'ERROR_FROM_TARGET']);
    const dead = env.fakes.queues.of(DLQ_ARN).find((message) => message.body.includes('r-gql-fail'));
    expect(dead?.messageAttributes?.ERROR_MESSAGE?.StringValue).toBe('Unauthorized: Not Authorized to access publishOrderUpdate on type Mutation');
  });
});

describe('other targets', () => {
  it('dead-letters a Step Functions target at once when no sandbox service runs Step Functions', async () => {
    await env.client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: BUS, Source: 'orders.service', DetailType: 'OrderPaid', Detail: JSON.stringify({ data: { orderId: 'r-sfn' } }) }] }),
    );
    const delivery = await env.inspect.waitForDelivery((candidate) => candidate.targetId === 'fulfilment-workflow' && forOrder('r-sfn')(candidate));
    // NO_RESOURCE is not retried even though the policy allows 5 retries.
    expect(delivery).toMatchObject({ outcome: 'dead-lettered', attempts: [{ error: { code: 'NO_RESOURCE' } }] });
    const dead = env.fakes.queues.of(DLQ_ARN).find((message) => message.body.includes('r-sfn'));
    expect(dead?.messageAttributes).toMatchObject({ ERROR_CODE: { StringValue: 'NO_RESOURCE' }, RETRY_ATTEMPTS: { StringValue: '0' } });
    expect(dead?.messageAttributes?.EXHAUSTED_RETRY_CONDITION).toBeUndefined();
  });

  it('forwards to another bus, whose rules then match', async () => {
    await env.client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: BUS, Source: 'orders.service', DetailType: 'AuditRequested', Detail: JSON.stringify({ data: { orderId: 'r-x' } }) }] }),
    );
    const audit = await env.inspect.waitForDelivery((candidate) => candidate.ruleName === 'audit' && forOrder('r-x')(candidate));
    expect(audit).toMatchObject({ outcome: 'delivered', busName: 'default' });
    expect(env.inspect.events('default').some((event) => (event.detail.data as { orderId?: string } | undefined)?.orderId === 'r-x')).toBe(true);
  });
});
