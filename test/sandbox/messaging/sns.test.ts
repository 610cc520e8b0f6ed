import { join } from 'node:path';
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { ACCOUNT, arn, eventually, REGION, startMessaging, tempDir, writePlatform, type MessagingFixture } from './fixture';

const dir = tempDir('messaging-sns-');
const outdir = writePlatform(join(dir.path, 'cdktf.out'));
const TOPIC = arn('sns', 'order-notifications');
let fixture: MessagingFixture;

beforeAll(async () => {
  fixture = await startMessaging(outdir);
});

afterAll(async () => {
  await fixture?.stop();
  dir.cleanup();
});

beforeEach(async () => {
  for (const queue of ['push', 'email', 'audit']) await fixture.inspect.receiveAll(arn('sqs', queue));
  fixture.lambda.invocations.length = 0;
});

const publish = (message: string, eventType: string, subject?: string) =>
  fixture.sns.send(new PublishCommand({ TopicArn: TOPIC, Message: message, Subject: subject, MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } } }));

describe('SNS in the messaging sandbox', () => {
  it('routes by the subscriptions’ filter policies on message attributes', async () => {
    await publish('created', 'OrderCreated');
    await publish('shipped', 'OrderShipped');
    await fixture.inspect.waitForDepth(arn('sqs', 'audit'), 2);

    const bodies = async (queue: string) => (await fixture.inspect.receiveAll(arn('sqs', queue))).map((message) => message.Body as string);
    expect((await bodies('email')).sort()).toEqual(['created', 'shipped']);
    expect((await bodies('push')).map((body) => JSON.parse(body).Message)).toEqual(['shipped']);
    expect(await bodies('audit')).toHaveLength(2);
  });

  it('delivers raw messages with their attributes, and wraps the others in the SNS envelope', async () => {
    const { MessageId } = await publish('{"orderId":"o-1"}', 'OrderShipped', 'Order shipped');
    await fixture.inspect.waitForDepth(arn('sqs', 'audit'), 1);

    const [raw] = await fixture.inspect.receiveAll(arn('sqs', 'email'));
    const [wrapped] = await fixture.inspect.receiveAll(arn('sqs', 'audit'));
    expect(raw?.Body).toBe('{"orderId":"o-1"}');
    expect(raw?.MessageAttributes).toEqual({ eventType: { DataType: 'String', StringValue: 'OrderShipped' } });
    expect(wrapped?.MessageAttributes).toBeUndefined();
    expect(JSON.parse(wrapped?.Body as string)).toEqual({
      Type: 'Notification',
      MessageId,
      TopicArn: TOPIC,
      Subject: 'Order shipped',
      Message: '{"orderId":"o-1"}',
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      SignatureVersion: '1',
      Signature: expect.any(String),
      SigningCertURL: expect.any(String),
      UnsubscribeURL: expect.stringContaining('Action=Unsubscribe'),
      MessageAttributes: { eventType: { Type: 'String', Value: 'OrderShipped' } },
    });
  });

  it('invokes a Lambda subscription asynchronously with the SNS event, as SNS does', async () => {
    const { MessageId } = await publish('{"orderId":"o-2"}', 'OrderCreated', 'Order created');

    const [invocation] = await eventually(() => (fixture.lambda.of('notify').length > 0 ? fixture.lambda.of('notify') : undefined));
    expect(invocation?.invocationType).toBe('Event');
    expect(invocation?.event).toEqual({
      Records: [
        {
          EventVersion: '1.0',
          EventSubscriptionArn: expect.stringMatching(new RegExp(`^${TOPIC}:[0-9a-f-]{36}$`)),
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            MessageId,
            TopicArn: TOPIC,
            Subject: 'Order created',
            Message: '{"orderId":"o-2"}',
            Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
            SignatureVersion: '1',
            Signature: 'EXAMPLE',
            SigningCertUrl: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`,
            UnsubscribeUrl: expect.stringMatching(new RegExp(`^https://sns\\.${REGION}\\.amazonaws\\.com/\\?Action=Unsubscribe&SubscriptionArn=${TOPIC}:`)),
            MessageAttributes: { eventType: { Type: 'String', Value: 'OrderCreated' } },
          },
        },
      ],
    });
  });

  it("applies a Lambda subscription's filter policy and gives a missing subject as null", async () => {
    await publish('noise', 'Noise');
    await publish('kept', 'OrderDelivered');

    const [invocation] = await eventually(() => (fixture.lambda.of('notify').length > 0 ? fixture.lambda.of('notify') : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.lambda.of('notify')).toHaveLength(1);
    expect((invocation?.event as { Records: { Sns: { Message: string; Subject: unknown } }[] }).Records[0]?.Sns).toMatchObject({ Message: 'kept', Subject: null });
  });

  it('delivers each message of a PublishBatch to Lambda subscriptions', async () => {
    const answer = await fixture.sns.send(
      new PublishBatchCommand({
        TopicArn: TOPIC,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'first', MessageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderCreated' } } },
          { Id: 'b', Message: 'second', Subject: 'Two', MessageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderPaid' } } },
          { Id: 'c', Message: 'third', MessageAttributes: { eventType: { DataType: 'String', StringValue: 'Noise' } } },
          // No eventType: an anything-but condition needs the attribute to exist, as in AWS.
          { Id: 'd', Message: 'fourth' },
        ],
      }),
    );

    const invocations = await eventually(() => (fixture.lambda.of('notify').length >= 2 ? fixture.lambda.of('notify') : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const delivered = invocations.map((invocation) => (invocation.event as { Records: { Sns: { Message: string; MessageId: string; Subject: unknown } }[] }).Records[0]?.Sns);
    expect(fixture.lambda.of('notify')).toHaveLength(2);
    expect(delivered.map((sns) => [sns?.Message, sns?.Subject, sns?.MessageId]).sort()).toEqual([
      ['first', null, answer.Successful?.find((entry) => entry.Id === 'a')?.MessageId],
      ['second', 'Two', answer.Successful?.find((entry) => entry.Id === 'b')?.MessageId],
    ]);
  });

  it('logs, and delivers to the queues all the same, when no Lambda service runs', async () => {
    const alone = await startMessaging(writePlatform(join(dir.path, 'alone')), { withLambda: false });
    try {
      const { MessageId } = await alone.sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'nobody listens', MessageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderCreated' } } }));

      await alone.inspect.waitForDepth(arn('sqs', 'email'), 1);
      await eventually(() => alone.logs.find((line) => line.message.startsWith('No Lambda service runs')));
      expect(alone.logs).toContainEqual({
        level: 'warn',
        component: 'messaging',
        message: `No Lambda service runs: message ${MessageId} of ${TOPIC} is not delivered to arn:aws:lambda:${REGION}:${ACCOUNT}:function:notify`,
        fields: undefined,
      });
    } finally {
      await alone.stop();
    }
  });
});
