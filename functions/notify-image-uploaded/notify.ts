import { createHash } from 'node:crypto';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSEvent } from 'aws-lambda';
import { newEvent, parseJson, publishEvents } from '../lib/events';
import type { OutgoingEvent } from '../lib/outbox';
import { parseProductImageKey } from '../lib/product-images';
import { createdObjects, type CreatedObject } from '../lib/s3-notifications';
import { isMissing } from '../lib/s3-objects';

/** Longest event id the envelope allows. */
const MAX_EVENT_ID = 128;
export const PRODUCER = 'lambda:notify-image-uploaded';

/**
 * The event id of one upload: `ProductImageUploaded:<bucket>/<key>@<versionId or ETag>`, the same for every
 * delivery of that upload's notification, so consumers deduplicate a re-publish. Ids longer than the envelope's
 * 128 characters (long bucket names) become `ProductImageUploaded:sha256:<hex of that text>`, still deterministic.
 */
export function imageEventId(object: Pick<CreatedObject, 'bucket' | 'key' | 'versionId' | 'eTag' | 'sequencer'>): string {
  const natural = `ProductImageUploaded:${object.bucket}/${object.key}@${object.versionId ?? object.eTag ?? object.sequencer ?? 'unversioned'}`;
  if (natural.length <= MAX_EVENT_ID) return natural;
  return `ProductImageUploaded:sha256:${createHash('sha256').update(natural).digest('hex')}`;
}

/** What {@link notifyImagesUploaded} needs. */
export interface NotifyDeps {
  readonly s3: Pick<S3Client, 'send'>;
  readonly events: Pick<EventBridgeClient, 'send'>;
  readonly busName: string;
}

/** Counts of one invocation. */
export interface NotifyResult {
  readonly published: number;
  readonly skipped: number;
}

/**
 * Publishes one ProductImageUploaded per product original in the SNS notifications (direct subscription of the
 * `media-uploads` topic), validated against its contract before PutEvents. The content type comes from the
 * object itself (HeadObject), not its extension; an object deleted since is skipped, and so are the
 * platform's own thumbnails. Any invalid key or failed publish fails the invocation (Lambda retries it; the
 * events keep their ids, so consumers drop the duplicates).
 */
export async function notifyImagesUploaded(event: SNSEvent, deps: NotifyDeps): Promise<NotifyResult> {
  const events: OutgoingEvent[] = [];
  let skipped = 0;
  for (const record of event.Records) {
    const subject = `SNS message ${record.Sns.MessageId}`;
    for (const object of createdObjects(parseJson(record.Sns.Message, subject, 'Sns.Message'), subject)) {
      const uploaded = await productImageUploaded(object, deps);
      if (uploaded) events.push(uploaded);
      else skipped += 1;
    }
  }
  if (events.length > 0) await publishEvents(deps.events, deps.busName, events);
  return { published: events.length, skipped };
}

async function productImageUploaded(object: CreatedObject, deps: NotifyDeps): Promise<OutgoingEvent | undefined> {
  const image = parseProductImageKey(object.key);
  if (image.kind === 'thumbnail') return undefined;
  let head;
  try {
    head = await deps.s3.send(new HeadObjectCommand({ Bucket: object.bucket, Key: object.key, ...(object.versionId ? { VersionId: object.versionId } : {}) }));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const eventId = imageEventId(object);
  const uploadedAt = new Date(object.eventTime).toISOString();
  return newEvent('ProductImageUploaded', {
    eventId,
    eventVersion: 1,
    correlationId: object.requestId ?? eventId,
    occurredAt: uploadedAt,
    producer: PRODUCER,
    data: {
      sku: image.sku,
      bucket: object.bucket,
      key: object.key,
      size: head.ContentLength ?? object.size,
      contentType: head.ContentType ?? 'application/octet-stream',
      uploadedAt,
    },
  });
}
