import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import {
  encodeS3EventKey,
  passesFilterPolicy,
  readBatchResponse,
  Sequencer,
  snsLambdaEvent,
  sqsLambdaRecord,
  targetWants,
  type S3Change,
} from '../../../sandbox/services/messaging';
import { loadFauxqs } from '../../../sandbox/services/messaging/fauxqs';
import { readNotifications, readQueues, readSubscriptions, readTopics } from '../../../sandbox/services/messaging/resources';
import { tempDir, writePlatform } from './fixture';

const dir = tempDir('messaging-events-');

afterAll(() => dir.cleanup());

/** A one-stack platform holding the given resources. */
function platform(name: string, resource: Record<string, unknown>): PlatformModel {
  const outdir = writePlatform(join(dir.path, name));
  writeFileSync(join(outdir, 'stacks', 'fanout', 'cdk.tf.json'), JSON.stringify({ provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['000000000000'] }] }, resource }));
  return new PlatformModel(outdir);
}

describe('encodeS3EventKey', () => {
  it.each([
    ['products/p-1/front.jpg', 'products/p-1/front.jpg'],
    ['red flower.jpg', 'red+flower.jpg'],
    ['this im + age blah.txt', 'this+im+%2B+age+blah.txt'],
    ['dt=2018-05-04/_SUCCESS', 'dt%3D2018-05-04/_SUCCESS'],
    ["a(1)!~'*.-_.txt", "a%281%29%21%7E%27*.-_.txt"],
    ['crème brûlée.png', 'cr%C3%A8me+br%C3%BBl%C3%A9e.png'],
  ])('%s → %s', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
    expect(decodeURIComponent(encoded.replace(/\+/g, ' '))).toBe(key);
  });
});

describe('targetWants', () => {
  const change = (eventName: S3Change['eventName'], key: string): S3Change => ({ eventName, key, bucket: 'b', sequencer: '0', time: new Date(), requestId: 'r', sourceIp: '127.0.0.1' });
  const target = { kind: 'queue' as const, arn: 'q', id: 'c', prefix: 'products/', suffix: '.jpg' };

  it('matches event types exactly or by wildcard, then prefix and suffix', () => {
    expect(targetWants({ ...target, events: ['s3:ObjectCreated:*'] }, change('ObjectCreated:Copy', 'products/a.jpg'))).toBe(true);
    expect(targetWants({ ...target, events: ['s3:ObjectCreated:Put'] }, change('ObjectCreated:Copy', 'products/a.jpg'))).toBe(false);
    expect(targetWants({ ...target, events: ['s3:ObjectRemoved:Delete'] }, change('ObjectRemoved:Delete', 'products/a.jpg'))).toBe(true);
    expect(targetWants({ ...target, events: ['s3:ObjectCreated:*'] }, change('ObjectRemoved:Delete', 'products/a.jpg'))).toBe(false);
    expect(targetWants({ ...target, events: ['s3:ObjectCreated:*'] }, change('ObjectCreated:Put', 'banners/a.jpg'))).toBe(false);
    expect(targetWants({ ...target, events: ['s3:ObjectCreated:*'] }, change('ObjectCreated:Put', 'products/a.png'))).toBe(false);
  });
});

describe('Sequencer', () => {
  it('grows with every event, even within one millisecond', () => {
    const sequencer = new Sequencer();
    const values = Array.from({ length: 50 }, () => sequencer.next());

    expect(values.every((value) => /^[0-9A-F]{18}$/.test(value))).toBe(true);
    expect([...values].sort()).toEqual(values);
    expect(new Set(values).size).toBe(50);
  });
});

describe('readBatchResponse', () => {
  const ids = new Set(['m-1', 'm-2']);

  it.each([[null], [undefined], [{}], [{ batchItemFailures: [] }], [{ batchItemFailures: null }]])('treats %j as a complete success', (payload) => {
    expect(readBatchResponse(payload, ids)).toEqual({ failed: new Set() });
  });

  it('reads the failed message ids', () => {
    expect(readBatchResponse({ batchItemFailures: [{ itemIdentifier: 'm-2' }] }, ids)).toEqual({ failed: new Set(['m-2']) });
  });

  it.each([
    ['ok', 'the response "ok" is not an object'],
    [{ batchItemFailures: 'm-1' }, 'batchItemFailures is not a list'],
    [{ batchItemFailures: [{ itemIdentifier: '' }] }, 'batchItemFailures holds {"itemIdentifier":""}, which has no itemIdentifier'],
    [{ batchItemFailures: [{ itemIdentifier: null }] }, 'batchItemFailures holds {"itemIdentifier":null}, which has no itemIdentifier'],
    [{ batchItemFailures: [{ id: 'm-1' }] }, 'batchItemFailures holds {"id":"m-1"}, which has no itemIdentifier'],
    [{ batchItemFailures: [{ itemIdentifier: 'm-9' }] }, 'itemIdentifier m-9 names no message of the batch'],
  ])('fails the whole batch on %j', (payload, reason) => {
    expect(readBatchResponse(payload, ids)).toEqual({ invalid: reason });
  });
});

describe('sqsLambdaRecord', () => {
  it('lists FIFO attributes after the standard ones, as Lambda does', () => {
    const record = sqsLambdaRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'r-1',
        Body: 'b',
        MD5OfBody: 'md5',
        Attributes: { MessageGroupId: 'g', SequenceNumber: '1', SentTimestamp: '2', ApproximateReceiveCount: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '3', MessageDeduplicationId: 'd' },
      },
      'arn:aws:sqs:us-east-1:000000000000:q.fifo',
      'us-east-1',
    );

    expect(Object.keys(record.attributes)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp', 'SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId']);
    expect(record.messageAttributes).toEqual({});
    expect('md5OfMessageAttributes' in record).toBe(false);
  });
});

describe('SNS to Lambda', () => {
  const publication = { topicArn: 'arn:aws:sns:us-east-1:000000000000:t', messageId: 'id', message: '{"default":"plain","lambda":"for lambda"}', messageStructure: 'json', messageAttributes: {}, timestamp: 'now' };

  it('gives Lambda its own message of a per-protocol publish', () => {
    expect(snsLambdaEvent(publication, 'sub', 'us-east-1').Records[0]?.Sns.Message).toBe('for lambda');
    expect(snsLambdaEvent({ ...publication, message: '{"default":"plain"}' }, 'sub', 'us-east-1').Records[0]?.Sns.Message).toBe('plain');
  });

  it('applies a MessageBody-scoped filter policy to the message', () => {
    const subscription = (policy: unknown) => ({ arn: 's', topicArn: 't', protocol: 'lambda', endpoint: 'f', confirmed: true, attributes: { FilterPolicy: JSON.stringify(policy), FilterPolicyScope: 'MessageBody' } });
    const order = { ...publication, message: '{"detail":{"status":"SHIPPED","total":42}}', messageStructure: undefined };

    expect(passesFilterPolicy(loadFauxqs(), subscription({ detail: { status: ['SHIPPED'] } }), order)).toBe(true);
    expect(passesFilterPolicy(loadFauxqs(), subscription({ detail: { total: [{ numeric: ['>', 100] }] } }), order)).toBe(false);
  });
});

describe('reading the synthesized resources', () => {
  it('names unnamed and prefixed queues and topics as Terraform would, with .fifo for FIFO', () => {
    const model = platform('names', {
      aws_sqs_queue: { plain: {}, prefixed: { name_prefix: 'jobs-' }, fifo: { name_prefix: 'ledger-', fifo_queue: true } },
      aws_sns_topic: { fifo: { name_prefix: 'events-', fifo_topic: true, content_based_deduplication: true } },
    });

    const [plain, prefixed, fifo] = readQueues(model);
    expect(plain?.name).toMatch(/^terraform-[0-9a-f]{26}$/);
    expect(prefixed?.name).toMatch(/^jobs-[0-9a-f]{26}$/);
    expect(fifo?.name).toMatch(/^ledger-[0-9a-f]{26}\.fifo$/);
    expect(fifo?.attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'false' });
    expect(readQueues(model).map((queue) => queue.name)).toEqual(readQueues(model).map((queue) => queue.name));
    expect(readTopics(model)[0]).toMatchObject({ name: expect.stringMatching(/^events-[0-9a-f]{26}\.fifo$/), attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } });
  });

  it('refuses a redrive policy without a DLQ or a receive count', () => {
    const model = platform('redrive', { aws_sqs_queue: { broken: { name: 'broken', redrive_policy: '{"maxReceiveCount":0}' } } });

    expect(() => readQueues(model)).toThrow('fanout:aws_sqs_queue.broken: redrive_policy needs deadLetterTargetArn and a maxReceiveCount of 1 or more, got {"maxReceiveCount":0}');
  });

  it('reads filter policies given as objects and notification blocks given as single objects', () => {
    const model = platform('blocks', {
      aws_sns_topic: { t: { name: 't' } },
      aws_sns_topic_subscription: { s: { topic_arn: '${aws_sns_topic.t.arn}', protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', filter_policy: { kind: ['a'] }, filter_policy_scope: 'MessageBody' } },
      aws_s3_bucket_notification: { n: { bucket: 'b', lambda_function: { lambda_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', events: ['s3:ObjectCreated:*'] } } },
    });

    expect(readSubscriptions(model)[0]?.attributes).toEqual({ FilterPolicy: '{"kind":["a"]}', FilterPolicyScope: 'MessageBody' });
    expect(readNotifications(model)[0]).toEqual({
      id: 'fanout:aws_s3_bucket_notification.n',
      bucket: 'b',
      eventBridge: false,
      targets: [{ kind: 'lambda', arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', id: expect.stringMatching(/^tf-s3-lambda-/), events: ['s3:ObjectCreated:*'], prefix: '', suffix: '' }],
    });
  });
});
