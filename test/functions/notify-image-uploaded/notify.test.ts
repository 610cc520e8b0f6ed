import '../support/environment';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { validateEventDetail } from '../../../events/validate';
import { handler } from '../../../functions/notify-image-uploaded/handler';
import { imageEventId } from '../../../functions/notify-image-uploaded/notify';
import { lambdaContext } from '../factories/lambda';
import { s3Notification, s3TestEvent, snsEvent } from '../factories/sns';

describe('imageEventId', () => {
  it('names the upload by bucket, key and version (or ETag)', () => {
    expect(imageEventId({ bucket: 'media', key: 'products/MUG-01/original.png', versionId: 'v2', eTag: 'e' })).toBe('ProductImageUploaded:media/products/MUG-01/original.png@v2');
    expect(imageEventId({ bucket: 'media', key: 'products/MUG-01/original.png', eTag: 'e' })).toBe('ProductImageUploaded:media/products/MUG-01/original.png@e');
  });

  it('hashes an id longer than the envelope allows, deterministically', () => {
    const upload = { bucket: 'b'.repeat(63), key: 'products/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345/original.jpeg', eTag: '0'.repeat(32) };
    expect(imageEventId(upload)).toMatch(/^ProductImageUploaded:sha256:[0-9a-f]{64}$/);
    expect(imageEventId(upload)).toBe(imageEventId({ ...upload }));
  });
});

describe('notify-image-uploaded handler', () => {
  const s3 = mockClient(S3Client);
  const eventBridge = mockClient(EventBridgeClient);
  beforeEach(() => {
    s3.reset();
    eventBridge.reset();
    s3.on(HeadObjectCommand).resolves({ ContentType: 'image/png', ContentLength: 4096 });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
  });

  it('publishes a valid ProductImageUploaded per original, and nothing for thumbnails or the test event', async () => {
    const event = snsEvent(s3Notification({ key: 'products/MUG-01/original.png', versionId: 'v1' }, { key: 'products/MUG-01/thumbnail.webp' }), s3TestEvent());
    await expect(handler(event, lambdaContext())).resolves.toEqual({ published: 1, skipped: 1 });
    const entries = eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
    expect(entries.map((entry) => [entry.EventBusName, entry.Source, entry.DetailType])).toEqual([['orders-test-bus', 'catalog.media', 'ProductImageUploaded']]);
    const detail = JSON.parse(entries[0].Detail as string);
    expect(() => validateEventDetail('ProductImageUploaded', detail)).not.toThrow();
    expect(detail).toEqual({
      eventId: 'ProductImageUploaded:orders-test-media/products/MUG-01/original.png@v1',
      eventVersion: 1,
      correlationId: 'C3D13FE58DE4C810',
      occurredAt: '2026-11-28T10:00:00.250Z',
      producer: 'lambda:notify-image-uploaded',
      data: { sku: 'MUG-01', bucket: 'orders-test-media', key: 'products/MUG-01/original.png', size: 4096, contentType: 'image/png', uploadedAt: '2026-11-28T10:00:00.250Z' },
    });
  });

  it('fails the invocation when PutEvents refuses the event, so Lambda retries it', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    await expect(handler(snsEvent(s3Notification({ key: 'products/MUG-01/original.png', eTag: 'e9' })), lambdaContext())).rejects.toThrow(
      'PutEvents failed for ProductImageUploaded:orders-test-media/products/MUG-01/original.png@e9 (InternalFailure: try again)',
    );
  });
});
