import '../support/environment';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { handler } from '../../../functions/extract-image-metadata/handler';
import { readImageMetadata, recordImageMetadata } from '../../../functions/extract-image-metadata/metadata';
import { lambdaContext } from '../factories/lambda';
import { objectBody, pngImage } from '../factories/s3';
import { s3Notification } from '../factories/sns';
import { sqsEvent, sqsRecord } from '../factories/sqs';
import { FakeTable } from '../fakes/table';

const PRODUCT = { PK: 'PRODUCT#MUG-01', SK: 'PRODUCT', sku: 'MUG-01', name: 'Stoneware mug', price: 1250, currency: 'EUR', stock: 10 };
const upload = { bucket: 'orders-test-media', key: 'products/MUG-01/original.png', size: 10, eventTime: '2026-11-28T10:00:00.250Z' };

describe('readImageMetadata', () => {
  it('reads width, height and format, as displayed', async () => {
    await expect(readImageMetadata(await pngImage(640, 480))).resolves.toEqual({ width: 640, height: 480, format: 'png' });
    const rotated = await sharp(await pngImage(640, 480)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    await expect(readImageMetadata(rotated)).resolves.toEqual({ width: 480, height: 640, format: 'jpeg' });
  });
});

describe('recordImageMetadata', () => {
  const s3 = mockClient(S3Client);
  const client = new S3Client({});
  beforeEach(() => s3.reset());

  it('sets the product’s image from the object and its pixels', async () => {
    const png = await pngImage(640, 480);
    s3.on(GetObjectCommand).resolves({ Body: objectBody(png), ContentLength: png.length, ContentType: 'image/png', ETag: '"e1"' });
    const table = new FakeTable().seed(PRODUCT);
    const deps = { s3: client, table: table.client(), tableName: table.tableName, now: () => new Date('2026-11-28T10:00:02.000Z') };
    await expect(recordImageMetadata(upload, deps)).resolves.toBe('recorded');
    expect(table.get('PRODUCT#MUG-01', 'PRODUCT')).toEqual({
      ...PRODUCT,
      image: { key: upload.key, width: 640, height: 480, format: 'png', size: png.length, contentType: 'image/png', eTag: 'e1', updatedAt: '2026-11-28T10:00:02.000Z' },
    });
  });

  it('fails the record when no product has the sku', async () => {
    const png = await pngImage(10, 10);
    s3.on(GetObjectCommand).resolves({ Body: objectBody(png), ContentLength: png.length });
    const table = new FakeTable();
    await expect(recordImageMetadata(upload, { s3: client, table: table.client(), tableName: table.tableName })).rejects.toThrow(
      'No product MUG-01 for the image products/MUG-01/original.png',
    );
    expect(table.items.size).toBe(0);
  });
});

describe('extract-image-metadata handler', () => {
  const s3 = mockClient(S3Client);
  const documentClient = mockClient(DynamoDBDocumentClient);
  let table: FakeTable;
  beforeEach(() => {
    s3.reset();
    documentClient.reset();
    table = new FakeTable('orders-test').seed(PRODUCT);
    table.serve(documentClient);
  });

  it('reports only the poison message failed: an image that does not decode', async () => {
    const png = await pngImage(300, 200);
    s3.on(GetObjectCommand, { Key: 'products/MUG-01/original.png' }).callsFake(() => ({ Body: objectBody(png), ContentLength: png.length }));
    s3.on(GetObjectCommand, { Key: 'products/MUG-01/original.jpg' }).callsFake(() => ({ Body: objectBody(Buffer.from('corrupt')), ContentLength: 7 }));
    const response = await handler(
      sqsEvent(sqsRecord(s3Notification({ key: 'products/MUG-01/original.jpg' }), { messageId: 'poison' }), sqsRecord(s3Notification({ key: 'products/MUG-01/original.png' }), { messageId: 'png' })),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(table.get('PRODUCT#MUG-01', 'PRODUCT')?.image).toMatchObject({ width: 300, height: 200, format: 'png' });
  });
});
