import type { SQSRecord } from 'aws-lambda';
import { ValidationError } from './errors';
import { queuedMessage } from './events';

/** One object an S3 event notification says was created. */
export interface CreatedObject {
  readonly bucket: string;
  /** Decoded: notifications URL-encode keys, with `+` for spaces. */
  readonly key: string;
  readonly size: number;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly sequencer?: string;
  /** When S3 finished the upload (ISO 8601). */
  readonly eventTime: string;
  /** S3's `x-amz-request-id` of the upload: ties the thumbnail, metadata and notification logs together. */
  readonly requestId?: string;
}

interface S3NotificationRecord {
  eventName?: unknown;
  eventTime?: unknown;
  responseElements?: { 'x-amz-request-id'?: unknown };
  s3?: { bucket?: { name?: unknown }; object?: { key?: unknown; size?: unknown; eTag?: unknown; versionId?: unknown; sequencer?: unknown } };
}

/**
 * The objects an S3 event notification reports as created. The `s3:TestEvent` S3 sends when notifications are
 * configured, and events other than `ObjectCreated:*`, yield none. Anything else that is not a notification
 * throws a {@link ValidationError} naming the field.
 */
export function createdObjects(notification: unknown, subject: string): CreatedObject[] {
  const payload = notification as { Event?: unknown; Records?: unknown } | null;
  if (payload?.Event === 's3:TestEvent') return [];
  if (!Array.isArray(payload?.Records)) throw new ValidationError(subject, [{ field: 'Records', rule: 'must be the array of an S3 event notification' }]);
  const objects: CreatedObject[] = [];
  (payload.Records as S3NotificationRecord[]).forEach((record, index) => {
    if (typeof record?.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated:')) return;
    const bucket = record.s3?.bucket?.name;
    const object = record.s3?.object;
    const problems = [];
    if (typeof bucket !== 'string' || !bucket) problems.push({ field: `Records[${index}].s3.bucket.name`, rule: 'must be a bucket name' });
    if (typeof object?.key !== 'string' || !object.key) problems.push({ field: `Records[${index}].s3.object.key`, rule: 'must be an object key' });
    if (typeof record.eventTime !== 'string' || Number.isNaN(Date.parse(record.eventTime))) problems.push({ field: `Records[${index}].eventTime`, rule: 'must be an ISO 8601 time' });
    if (problems.length > 0) throw new ValidationError(subject, problems);
    objects.push({
      bucket: bucket as string,
      key: decodeS3Key(object?.key as string),
      size: typeof object?.size === 'number' ? object.size : 0,
      eTag: optionalString(object?.eTag),
      versionId: optionalString(object?.versionId),
      sequencer: optionalString(object?.sequencer),
      eventTime: record.eventTime as string,
      requestId: optionalString(record.responseElements?.['x-amz-request-id']),
    });
  });
  return objects;
}

/** The objects created according to a queued S3 notification (raw SNS delivery, or an SNS envelope). */
export function createdObjectsOfRecord(record: SQSRecord): CreatedObject[] {
  return createdObjects(queuedMessage(record), `SQS message ${record.messageId}`);
}

/** An object key as S3 notifications encode it (`products/MUG%2B01/original+1.png`), decoded. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
