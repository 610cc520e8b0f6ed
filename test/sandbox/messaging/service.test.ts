import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { endpointCapability, SNS_PUBLISHER, SQS_SENDER, type QueueSender, type TopicPublisher } from '../../../sandbox/services/capabilities';
import { messagingService } from '../../../sandbox/services/messaging';
import { ACCOUNT, arn, REGION, startMessaging, tempDir, writePlatform, type MessagingFixture } from './fixture';

const dir = tempDir('messaging-service-');
const outdir = writePlatform(join(dir.path, 'cdktf.out'));
let fixture: MessagingFixture;

beforeAll(async () => {
  fixture = await startMessaging(outdir);
});

afterAll(async () => {
  await fixture?.stop();
  dir.cleanup();
});

describe('messagingService', () => {
  it('answers SQS, SNS and S3 SDK clients on one endpoint bound to the sandbox host', async () => {
    const { QueueUrl } = await fixture.sqs.send(new GetQueueUrlCommand({ QueueName: 'email' }));
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const received = await fixture.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    const topic = await fixture.sns.send(new GetTopicAttributesCommand({ TopicArn: arn('sns', 'order-notifications') }));
    await fixture.s3.send(new PutObjectCommand({ Bucket: 'media-bucket', Key: 'docs/readme.txt', Body: 'read me' }));
    const object = await fixture.s3.send(new GetObjectCommand({ Bucket: 'media-bucket', Key: 'docs/readme.txt' }));

    expect(fixture.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(QueueUrl).toBe(`${fixture.endpoint}/${ACCOUNT}/email`);
    expect(received.Messages?.map((message) => message.Body)).toEqual(['hello']);
    expect(topic.Attributes?.TopicArn).toBe(arn('sns', 'order-notifications'));
    expect(await object.Body?.transformToString()).toBe('read me');
  });

  it('creates queues with the synthesized attributes, redrive policy and FIFO settings', async () => {
    const attributes = async (name: string) =>
      (await fixture.sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${fixture.endpoint}/${ACCOUNT}/${name}`, AttributeNames: ['All'] }))).Attributes;

    expect(await attributes('orders')).toMatchObject({
      QueueArn: arn('sqs', 'orders'),
      VisibilityTimeout: '1',
      MessageRetentionPeriod: '1209600',
      DelaySeconds: '0',
      MaximumMessageSize: '262144',
      KmsMasterKeyId: 'alias/platform',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('sqs', 'orders-dlq'), maxReceiveCount: 2 }),
    });
    expect(await attributes('ledger.fifo')).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' });
    expect((await attributes('late'))?.RedrivePolicy).toBe(JSON.stringify({ deadLetterTargetArn: arn('sqs', 'orders-dlq'), maxReceiveCount: 4 }));
  });

  it('lists the synthesized subscriptions of a topic, Lambda ones included', async () => {
    const { Subscriptions } = await fixture.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn('sns', 'order-notifications') }));

    expect(Subscriptions?.map((subscription) => [subscription.Protocol, subscription.Endpoint])).toEqual([
      ['sqs', arn('sqs', 'push')],
      ['sqs', arn('sqs', 'email')],
      ['sqs', arn('sqs', 'audit')],
      ['lambda', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:notify`],
    ]);
    expect(Subscriptions?.find((subscription) => subscription.Endpoint === arn('sqs', 'email'))?.SubscriptionArn).toBe(fixture.model.output('fanout', 'subscription_arn'));
  });

  it("answers after-apply attributes as Terraform would, with queue URLs on the local endpoint", () => {
    const output = (name: string) => fixture.model.output('fanout', name);

    expect(output('orders_url')).toBe(`${fixture.endpoint}/${ACCOUNT}/orders`);
    expect(output('orders_id')).toBe(output('orders_url'));
    expect(output('orders_arn')).toBe(arn('sqs', 'orders'));
    expect(output('topic_arn')).toBe(arn('sns', 'order-notifications'));
    expect(output('topic_id')).toBe(arn('sns', 'order-notifications'));
    expect(output('subscription_arn')).toMatch(new RegExp(`^${arn('sns', 'order-notifications')}:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$`));
    expect(output('bucket_arn')).toBe('arn:aws:s3:::media-bucket');
    expect(output('bucket_id')).toBe('media-bucket');
    expect(output('bucket_name')).toBe('media-bucket');
    expect(output('bucket_domain')).toBe('media-bucket.s3.amazonaws.com');
    expect(output('bucket_regional_domain')).toBe(`media-bucket.s3.${REGION}.amazonaws.com`);
    expect(output('mapping_uuid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(output('mapping_function_arn')).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders-consumer`);
  });

  it('gives queues created through the API a URL on the endpoint', async () => {
    const { QueueUrl } = await fixture.sqs.send(new CreateQueueCommand({ QueueName: 'scratch' }));

    expect(QueueUrl).toBe(`${fixture.endpoint}/000000000000/scratch`);
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'works' }));
    expect(fixture.inspect.depth(QueueUrl as string)).toBe(1);
  });

  it('publishes the endpoint for SDK clients, a queue sender, a topic publisher and the inspector', async () => {
    const sender = fixture.sandbox.registry.require<QueueSender>(SQS_SENDER);
    const publisher = fixture.sandbox.registry.require<TopicPublisher>(SNS_PUBLISHER);

    await sender.sendMessage(arn('sqs', 'audit'), 'by arn', { messageAttributes: { kind: { DataType: 'String', StringValue: 'direct' } } });
    await sender.sendMessage(`${fixture.endpoint}/${ACCOUNT}/audit`, 'by url');
    await sender.sendMessage(arn('sqs', 'ledger.fifo'), 'fifo', { messageGroupId: 'order-1' });
    const { messageId } = await publisher.publish(arn('sns', 'order-notifications'), 'published', { subject: 'Hi', messageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderShipped' } } });

    for (const suffix of ['SQS', 'SNS', 'S3']) expect(fixture.sandbox.registry.require(endpointCapability(suffix))).toBe(fixture.endpoint);
    await fixture.inspect.waitForDepth(arn('sqs', 'audit'), 3);
    const audit = await fixture.inspect.receiveAll(arn('sqs', 'audit'));
    expect(audit.map((message) => message.Body?.startsWith('{') ? JSON.parse(message.Body).MessageId : message.Body)).toEqual(['by arn', 'by url', messageId]);
    expect(audit[0]?.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'direct' } });
    expect(fixture.inspect.depth(arn('sqs', 'audit'))).toBe(0);
    expect((await fixture.inspect.receiveAll(arn('sqs', 'ledger.fifo'))).map((message) => message.Attributes?.MessageGroupId)).toEqual(['order-1']);
    await expect(sender.sendMessage(arn('sqs', 'missing'), 'x')).rejects.toThrow(`The sandbox has no queue ${arn('sqs', 'missing')}`);
  });

  it('serves S3 keys with spaces and pluses, and lists by prefix', async () => {
    await fixture.s3.send(new PutObjectCommand({ Bucket: 'media-bucket', Key: 'listing/a b+c.txt', Body: 'x' }));
    const listed = await fixture.s3.send(new ListObjectsV2Command({ Bucket: 'media-bucket', Prefix: 'listing/' }));

    expect(listed.Contents?.map((object) => object.Key)).toEqual(['listing/a b+c.txt']);
  });

  it('describes its endpoint, queues with DLQs, topics, buckets and mappings, and says state is in memory', () => {
    const lines = fixture.sandbox.describe();

    expect(lines[0]).toBe(`messaging: SQS, SNS and S3 (fauxqs 1.9.2) on ${fixture.endpoint}; in memory, nothing survives a restart`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'messaging: queue orders (DLQ orders-dlq after 2 receives)',
        'messaging: queue email',
        'messaging: topic order-notifications → sqs push (filtered), sqs email (raw), sqs audit, lambda notify (filtered)',
        'messaging: topic media-uploads → sqs thumbnails',
        'messaging: bucket media-bucket → topic media-uploads [s3:ObjectCreated:* products/*], queue removals [s3:ObjectRemoved:* *.json], lambda import-csv [s3:ObjectCreated:Put imports/* *.csv], EventBridge',
        `messaging: event source mapping ${arn('sqs', 'orders')} → orders-consumer (batch 10, window 0 s, partial batch failures, concurrency 2)`,
        `messaging: event source mapping ${arn('sqs', 'paused')} → paused-consumer (batch 10, window 0 s, concurrency 5) (disabled)`,
      ]),
    );
  });

  it('warns that filter criteria of a mapping are not applied', () => {
    expect(fixture.logs).toContainEqual({
      level: 'warn',
      component: 'messaging',
      message: 'Event source mapping fanout:aws_lambda_event_source_mapping.batched has filter criteria, which the sandbox does not apply: every message reaches batched-consumer',
      fields: undefined,
    });
  });

  it('warns that stream sources are not polled yet', () => {
    expect(fixture.logs).toContainEqual({
      level: 'warn',
      component: 'messaging',
      message: 'Event source mapping fanout:aws_lambda_event_source_mapping.stream reads arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2024-01-01T00:00:00.000: only SQS sources run in the sandbox; stream sources arrive with a later issue',
      fields: undefined,
    });
  });

  it('reports every resource type of the fixture as run or accepted', () => {
    const coverage = new Sandbox({ model: new PlatformModel(outdir), services: [messagingService()] }).coverage();

    expect(coverage.filter((line) => line.status === 'unsupported')).toEqual([]);
    expect(coverage.find((line) => line.type === 'aws_s3_bucket_public_access_block')).toEqual({
      type: 'aws_s3_bucket_public_access_block',
      count: 1,
      status: 'accepted',
      detail: 'nothing is public locally: the endpoint answers on the sandbox host only',
    });
    expect(coverage.find((line) => line.type === 'aws_lambda_event_source_mapping')).toEqual({ type: 'aws_lambda_event_source_mapping', count: 5, status: 'runs', detail: 'messaging' });
    expect(coverage.find((line) => line.type === 'aws_sqs_queue_redrive_policy')?.status).toBe('runs');
  });

  it('stops: the endpoint closes, and stopping twice is harmless', async () => {
    const endpoint = fixture.endpoint;

    await fixture.stop();
    await fixture.stop();

    await expect(fetch(`${endpoint}/health`)).rejects.toThrow();
  });
});
