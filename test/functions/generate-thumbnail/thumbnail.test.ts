import '../support/environment';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { generateThumbnail, makeThumbnail } from '../../../functions/generate-thumbnail/thumbnail';
import { handler } from '../../../functions/generate-thumbnail/handler';
import { PermanentError } from '../../../functions/lib/errors';
import { lambdaContext } from '../factories/lambda';
import { objectBody, pngImage } from '../factories/s3';
import { s3Notification } from '../factories/sns';
import { sqsEvent, sqsRecord } from '../factories/sqs';

describe('makeThumbnail', () => {
  it('resizes a PNG to 256 px wide WebP, keeping the aspect ratio', async () => {
    const thumbnail = await makeThumbnail(await pngImage(1024, 512));
    expect({ width: thumbnail.width, height: thumbnail.height, format: thumbnail.format }).toEqual({ width: 256, height: 128, format: 'webp' });
    const decoded = await sharp(thumbnail.data).metadata();
    expect({ width: decoded.width, height: decoded.height, format: decoded.format }).toEqual({ width: 256, height: 128, format: 'webp' });
  });

  it('does not enlarge an image narrower than the thumbnail', async () => {
    const thumbnail = await makeThumbnail(await pngImage(100, 300));
    expect([thumbnail.width, thumbnail.height]).toEqual([100, 300]);
  });

  it('fails for good on bytes that are no image', async () => {
    await expect(makeThumbnail(Buffer.from('not an image'))).rejects.toThrow(PermanentError);
  });
});

describe('generateThumbnail', () => {
  const s3 = mockClient(S3Client);
  const client = new S3Client({});
  beforeEach(() => s3.reset());
  const upload = (key: string) => ({ bucket: 'orders-test-media', key, size: 10, eventTime: '2026-11-28T10:00:00.250Z' });

  it('writes products/<SKU>/thumbnail.webp beside the original', async () => {
    const png = await pngImage(800, 600);
    s3.on(GetObjectCommand, { Bucket: 'orders-test-media', Key: 'products/MUG-01/original.png' }).resolves({ Body: objectBody(png), ContentLength: png.length, ETag: '"abc"' });
    s3.on(PutObjectCommand).resolves({});
    await expect(generateThumbnail(upload('products/MUG-01/original.png'), { s3: client })).resolves.toBe('written');
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect({ Bucket: put.Bucket, Key: put.Key, ContentType: put.ContentType, Metadata: put.Metadata }).toEqual({
      Bucket: 'orders-test-media',
      Key: 'products/MUG-01/thumbnail.webp',
      ContentType: 'image/webp',
      Metadata: { 'source-key': 'products/MUG-01/original.png', 'source-etag': 'abc' },
    });
    const written = await sharp(put.Body as Buffer).metadata();
    expect([written.width, written.height, written.format]).toEqual([256, 192, 'webp']);
  });

  it('skips its own output and an original deleted since the upload', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));
    await expect(generateThumbnail(upload('products/MUG-01/thumbnail.webp'), { s3: client })).resolves.toBe('skipped-own-output');
    await expect(generateThumbnail(upload('products/MUG-01/original.png'), { s3: client })).resolves.toBe('skipped-missing');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('refuses an original too big to read, without downloading it', async () => {
    s3.on(GetObjectCommand).resolves({ Body: objectBody(Buffer.alloc(1)), ContentLength: 26 * 1024 * 1024 });
    await expect(generateThumbnail(upload('products/MUG-01/original.jpg'), { s3: client })).rejects.toThrow(
      's3://orders-test-media/products/MUG-01/original.jpg is 27262976 bytes; at most 26214400 are read',
    );
  });
});

describe('generate-thumbnail handler', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  it('reports only the poison message failed: an invalid key fails for good, the others are handled', async () => {
    const png = await pngImage(512, 512);
    s3.on(GetObjectCommand).callsFake(() => ({ Body: objectBody(png), ContentLength: png.length }));
    s3.on(PutObjectCommand).resolves({});
    const response = await handler(
      sqsEvent(
        sqsRecord(s3Notification({ key: 'products/MUG-01/original.png' }), { messageId: 'mug' }),
        sqsRecord(s3Notification({ key: 'products/../etc/passwd' }), { messageId: 'poison' }),
        sqsRecord(s3Notification({ key: 'products/MUG-01/thumbnail.webp' }), { messageId: 'own-output' }),
      ),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual(['products/MUG-01/thumbnail.webp']);
  });
});
