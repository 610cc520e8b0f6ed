import { join } from 'node:path';
import { CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import type { S3EventNotification } from '../../../sandbox/services/messaging';
import { ACCOUNT, arn, eventually, REGION, startMessaging, tempDir, writePlatform, type MessagingFixture } from './fixture';

const dir = tempDir('messaging-s3-');
const outdir = writePlatform(join(dir.path, 'cdktf.out'));
const BUCKET = 'media-bucket';
let fixture: MessagingFixture;

beforeAll(async () => {
  fixture = await startMessaging(outdir);
});

afterAll(async () => {
  await fixture?.stop();
  dir.cleanup();
});

beforeEach(async () => {
  for (const queue of ['thumbnails', 'removals']) await fixture.inspect.receiveAll(arn('sqs', queue));
  fixture.bus.entries.length = 0;
});

/** The S3 events that reached the thumbnails queue through the media-uploads topic. */
async function uploadEvents(expected: number): Promise<{ envelope: Record<string, unknown>; event: S3EventNotification }[]> {
  await fixture.inspect.waitForDepth(arn('sqs', 'thumbnails'), expected);
  return (await fixture.inspect.receiveAll(arn('sqs', 'thumbnails'))).map((message) => {
    const envelope = JSON.parse(message.Body as string) as Record<string, unknown>;
    return { envelope, event: JSON.parse(envelope.Message as string) as S3EventNotification };
  });
}

describe('S3 event notifications', () => {
  it('sends PutObject under products/ to the topic, and on to its queue, in the S3 event shape', async () => {
    const put = await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'products/p-1/front.jpg', Body: Buffer.from('jpeg bytes') }));

    const [delivered] = await uploadEvents(1);
    expect(delivered?.envelope).toMatchObject({ Type: 'Notification', TopicArn: arn('sns', 'media-uploads'), Subject: 'Amazon S3 Notification' });
    expect(delivered?.event).toEqual({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: REGION,
          eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: `AWS:${ACCOUNT}` },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/), 'x-amz-id-2': expect.any(String) },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'product-images',
            bucket: { name: BUCKET, ownerIdentity: { principalId: ACCOUNT }, arn: `arn:aws:s3:::${BUCKET}` },
            object: { key: 'products/p-1/front.jpg', size: 10, eTag: put.ETag?.replace(/"/g, ''), sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
          },
        },
      ],
    });
  });

  it('URL-encodes the key as S3 does: spaces as +, the rest percent-encoded, slashes kept', async () => {
    await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'products/summer sale/shoe+sock (1)=ok:é.png', Body: 'x' }));

    const [delivered] = await uploadEvents(1);
    expect(delivered?.event.Records[0]?.s3.object.key).toBe('products/summer+sale/shoe%2Bsock+%281%29%3Dok%3A%C3%A9.png');
  });

  it('leaves out keys outside the prefix', async () => {
    await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'banners/home.jpg', Body: 'x' }));
    await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'products/p-2/side.jpg', Body: 'x' }));

    const delivered = await uploadEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.inspect.depth(arn('sqs', 'thumbnails'))).toBe(0);
    expect(delivered.map(({ event }) => event.Records[0]?.s3.object.key)).toEqual(['products/p-2/side.jpg']);
  });

  it('names copies and multipart uploads by their event, with growing sequencers', async () => {
    await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'staging/original.jpg', Body: 'original' }));
    await fixture.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'products/p-3/copy.jpg', CopySource: `${BUCKET}/staging/original.jpg` }));
    const { UploadId } = await fixture.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'products/p-3/big.jpg' }));
    const part = await fixture.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'products/p-3/big.jpg', UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }));
    await fixture.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'products/p-3/big.jpg', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );

    const records = (await uploadEvents(2)).map(({ event }) => event.Records[0]);
    records.sort((a, b) => (a?.s3.object.sequencer ?? '').localeCompare(b?.s3.object.sequencer ?? ''));
    expect(records.map((record) => [record?.eventName, record?.s3.object.key, record?.s3.object.size])).toEqual([
      ['ObjectCreated:Copy', 'products/p-3/copy.jpg', 8],
      ['ObjectCreated:CompleteMultipartUpload', 'products/p-3/big.jpg', 1024],
    ]);
    expect(records[1]?.s3.object.eTag).toMatch(/^[0-9a-f]{32}-1$/);
  });

  it('sends deletes of .json objects straight to the queue, for DeleteObject and DeleteObjects', async () => {
    for (const key of ['exports/a.json', 'exports/b.json', 'exports/c.csv']) await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{}' }));
    await fixture.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'exports/a.json' }));
    await fixture.s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'exports/b.json' }, { Key: 'exports/c.csv' }] } }));

    await fixture.inspect.waitForDepth(arn('sqs', 'removals'), 2);
    const events = (await fixture.inspect.receiveAll(arn('sqs', 'removals'))).map((message) => JSON.parse(message.Body as string) as S3EventNotification);
    expect(events.map((event) => [event.Records[0]?.eventName, event.Records[0]?.s3.configurationId, event.Records[0]?.s3.object.key]).sort()).toEqual([
      ['ObjectRemoved:Delete', 'removed-json', 'exports/a.json'],
      ['ObjectRemoved:Delete', 'removed-json', 'exports/b.json'],
    ]);
    expect(events[0]?.Records[0]?.s3.object).toEqual({ key: 'exports/a.json', sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) });
  });

  it('invokes a Lambda target asynchronously with the S3 event, for the put event type only', async () => {
    fixture.lambda.invocations.length = 0;
    await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'imports/2024 orders.csv', Body: 'a,b' }));
    await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'imports/notes.txt', Body: 'x' }));
    await fixture.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'imports/copy.csv', CopySource: `${BUCKET}/imports/notes.txt` }));

    const [invocation] = await eventually(() => (fixture.lambda.of('import-csv').length > 0 ? fixture.lambda.of('import-csv') : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.lambda.of('import-csv')).toHaveLength(1);
    expect(invocation?.invocationType).toBe('Event');
    expect((invocation?.event as S3EventNotification).Records[0]).toMatchObject({
      eventName: 'ObjectCreated:Put',
      s3: { configurationId: 'csv-import', object: { key: 'imports/2024+orders.csv', size: 3 } },
    });
  });

  it('puts Object Created and Object Deleted events on the default bus when EventBridge is on', async () => {
    await fixture.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'anything/new file.txt', Body: 'hello' }));
    await fixture.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'anything/new file.txt' }));

    const entries = await eventually(() => (fixture.bus.entries.length >= 2 ? fixture.bus.entries : undefined));
    expect(entries[0]).toEqual({ Source: 'aws.s3', DetailType: 'Object Created', Detail: expect.any(String), EventBusName: 'default', Resources: [`arn:aws:s3:::${BUCKET}`], Time: expect.any(Date) });
    expect(JSON.parse(entries[0]?.Detail as string)).toEqual({
      version: '0',
      bucket: { name: BUCKET },
      object: { key: 'anything/new file.txt', size: 5, etag: '5d41402abc4b2a76b9719d911017c592', sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
      'request-id': expect.any(String),
      requester: ACCOUNT,
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    });
    expect(entries[1]?.DetailType).toBe('Object Deleted');
    expect(JSON.parse(entries[1]?.Detail as string)).toMatchObject({ object: { key: 'anything/new file.txt' }, reason: 'DeleteObject', 'deletion-type': 'Permanently Deleted' });
  });

  it('drops EventBridge events with one warning when no EventBridge service runs', async () => {
    const alone = await startMessaging(writePlatform(join(dir.path, 'no-bus')), { withBus: false });
    try {
      await alone.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'products/x.jpg', Body: 'x' }));
      await alone.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'products/y.jpg', Body: 'y' }));
      await alone.inspect.waitForDepth(arn('sqs', 'thumbnails'), 2);

      expect(alone.logs.filter((line) => line.level === 'warn' && line.message.includes('EventBridge'))).toEqual([
        { level: 'warn', component: 'messaging', message: `Bucket ${BUCKET} sends events to EventBridge, but no EventBridge service runs; they are dropped`, fields: undefined },
      ]);
    } finally {
      await alone.stop();
    }
  });
});
