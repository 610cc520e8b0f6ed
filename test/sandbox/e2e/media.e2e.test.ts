// Product image uploads (issue 4, fan-out) end to end: an uploader puts an original in the media bucket with the S3
// SDK; the bucket notifies the media-uploads topic, which fans out to the thumbnail and image-metadata queues and
// to notify-image-uploaded. The test reads the thumbnail back with the S3 SDK, the product item with the DynamoDB
// SDK (the GraphQL schema does not expose images yet) and the bus through the sandbox's inspector.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { Backbone, eventually, NAMES, type ReceivedEvent } from './support/backbone';
import { SandboxUnderTest } from './support/sandbox';

let sandbox: SandboxUnderTest;
let backbone: Backbone;

beforeAll(async () => {
  sandbox = await SandboxUnderTest.start();
  backbone = new Backbone(sandbox);
}, 120_000);

afterAll(async () => {
  try {
    backbone?.destroy();
  } finally {
    await sandbox?.dispose();
  }
}, 30_000);

/** An object's bytes, or undefined while it does not exist. */
async function objectBytes(key: string): Promise<Buffer | undefined> {
  try {
    const object = await backbone.s3.send(new GetObjectCommand({ Bucket: NAMES.mediaBucket, Key: key }));
    return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

describe('product image uploads, end to end with real clients', () => {
  it('an original PNG gets a 256 px WebP thumbnail beside it, its metadata on the product, and ProductImageUploaded on the bus', async () => {
    const key = 'products/MUG-01/original.png';
    const original = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 180, g: 90, b: 40 } } }).png().toBuffer();
    await backbone.s3.send(new PutObjectCommand({ Bucket: NAMES.mediaBucket, Key: key, Body: original, ContentType: 'image/png' }));

    const thumbnail = await eventually('products/MUG-01/thumbnail.webp', () => objectBytes('products/MUG-01/thumbnail.webp'), 30_000);
    expect(await sharp(thumbnail).metadata()).toMatchObject({ format: 'webp', width: 256, height: 192 });

    const product = await eventually('the image metadata on MUG-01', async () => {
      const item = await backbone.item('PRODUCT#MUG-01', 'PRODUCT');
      return item?.image !== undefined && item;
    });
    expect(product).toMatchObject({ sku: 'MUG-01', image: { key, width: 640, height: 480, format: 'png', size: original.length, contentType: 'image/png' } });

    const uploaded = await eventually('ProductImageUploaded for MUG-01', () =>
      backbone.bus.events(NAMES.bus).find((event): event is ReceivedEvent<'ProductImageUploaded'> => event['detail-type'] === 'ProductImageUploaded' && (event.detail.data as { key?: string }).key === key),
    );
    expect(uploaded).toMatchObject({
      source: 'catalog.media',
      detail: { eventId: expect.stringMatching(/^ProductImageUploaded:/), producer: 'lambda:notify-image-uploaded', data: { sku: 'MUG-01', bucket: NAMES.mediaBucket, key, size: original.length, contentType: 'image/png' } },
    });
    // Only the original is announced: the thumbnail's own upload is recognised and skipped by every consumer.
    expect(backbone.bus.events(NAMES.bus).filter((event) => event['detail-type'] === 'ProductImageUploaded')).toHaveLength(1);
    expect(await backbone.queuesNotHolding()).toEqual({});
  });
});
