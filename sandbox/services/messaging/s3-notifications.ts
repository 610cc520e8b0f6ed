import type { Logger } from '../../core/logger';
import type { PutEventsEntry } from '../capabilities';
import type { NotificationSpec, NotificationTarget } from './resources';

/** The S3 event names the sandbox emits. */
export type S3EventName = 'ObjectCreated:Put' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';

/** One object write or delete that S3 would notify about. */
export interface S3Change {
  readonly eventName: S3EventName;
  readonly bucket: string;
  /** The key as stored (not encoded). */
  readonly key: string;
  /** Created objects only. */
  readonly size?: number;
  /** Created objects only; without quotes. */
  readonly eTag?: string;
  readonly sequencer: string;
  readonly time: Date;
  readonly requestId: string;
  readonly sourceIp: string;
}

/** The S3 event notification message (`{ Records: [...] }`), as S3 sends it to SNS, SQS and Lambda. */
export interface S3EventNotification {
  readonly Records: readonly S3EventRecord[];
}

export interface S3EventRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: S3EventName;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: { readonly 'x-amz-request-id': string; readonly 'x-amz-id-2': string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: { readonly name: string; readonly ownerIdentity: { readonly principalId: string }; readonly arn: string };
    readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string; readonly sequencer: string };
  };
}

/**
 * An object key as S3 writes it into event notifications: URL-encoded form style, so a space becomes `+`
 * and `+` becomes `%2B`; `/` stays, letters, digits and `-_.*` stay, everything else is percent-encoded
 * from its UTF-8 bytes.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** Sequencers grow with every event of the sandbox, so ordering by them (as S3 recommends per key) works. */
export class Sequencer {
  private last = 0n;

  next(): string {
    // Microseconds since the epoch, kept increasing when two events share one.
    const now = BigInt(Date.now()) * 1000n;
    this.last = now > this.last ? now : this.last + 1n;
    return this.last.toString(16).toUpperCase().padStart(18, '0');
  }
}

/** Whether a notification configuration asks for this change: event type (with `*`), then key prefix and suffix. */
export function targetWants(target: NotificationTarget, change: S3Change): boolean {
  const [kind] = change.eventName.split(':');
  const eventMatches = target.events.some((event) => event === `s3:${change.eventName}` || event === `s3:${kind}:*`);
  return eventMatches && change.key.startsWith(target.prefix) && change.key.endsWith(target.suffix);
}

/** The notification S3 sends for a change to one configuration. */
export function s3EventNotification(change: S3Change, configurationId: string, region: string, accountId: string): S3EventNotification {
  const object =
    change.eventName.startsWith('ObjectCreated')
      ? { key: encodeS3EventKey(change.key), size: change.size ?? 0, eTag: change.eTag ?? '', sequencer: change.sequencer }
      : { key: encodeS3EventKey(change.key), sequencer: change.sequencer };
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: change.time.toISOString(),
        eventName: change.eventName,
        userIdentity: { principalId: `AWS:${accountId}` },
        requestParameters: { sourceIPAddress: change.sourceIp },
        responseElements: { 'x-amz-request-id': change.requestId, 'x-amz-id-2': 'sandbox' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: { name: change.bucket, ownerIdentity: { principalId: accountId }, arn: `arn:aws:s3:::${change.bucket}` },
          object,
        },
      },
    ],
  };
}

const EVENTBRIDGE_REASONS: Readonly<Record<S3EventName, string>> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
  'ObjectRemoved:Delete': 'DeleteObject',
};

/** The PutEvents entry S3 puts on the default bus when the bucket sends events to EventBridge. */
export function s3EventBridgeEntry(change: S3Change, accountId: string): PutEventsEntry {
  const created = change.eventName.startsWith('ObjectCreated');
  const detail = {
    version: '0',
    bucket: { name: change.bucket },
    object: created ? { key: change.key, size: change.size ?? 0, etag: change.eTag ?? '', sequencer: change.sequencer } : { key: change.key, sequencer: change.sequencer },
    'request-id': change.requestId,
    requester: accountId,
    'source-ip-address': change.sourceIp,
    reason: EVENTBRIDGE_REASONS[change.eventName],
    ...(created ? {} : { 'deletion-type': 'Permanently Deleted' }),
  };
  return {
    Source: 'aws.s3',
    DetailType: created ? 'Object Created' : 'Object Deleted',
    Detail: JSON.stringify(detail),
    EventBusName: 'default',
    Resources: [`arn:aws:s3:::${change.bucket}`],
    Time: change.time,
  };
}

/** How the notifier reaches its destinations; each is looked up when an event is delivered. */
export interface S3Destinations {
  publish(topicArn: string, message: string, subject: string): Promise<unknown>;
  send(queueArn: string, body: string): Promise<unknown>;
  /** Asynchronous (`Event`) invocation. */
  invoke(functionArn: string, event: unknown): Promise<unknown>;
  /** Undefined when no EventBridge service runs. */
  putEvents: ((entries: readonly PutEventsEntry[]) => Promise<{ FailedEntryCount: number }>) | undefined;
}

/** Sends the platform's S3 event notifications: to SNS topics, SQS queues and Lambda functions, and to EventBridge. */
export class S3Notifier {
  private readonly byBucket = new Map<string, NotificationSpec>();
  private warnedNoEventBridge = false;

  constructor(
    notifications: readonly NotificationSpec[],
    private readonly destinations: S3Destinations,
    private readonly context: { readonly region: string; readonly accountId: string; readonly logger: Logger },
  ) {
    for (const notification of notifications) this.byBucket.set(notification.bucket, notification);
  }

  /** Delivers every notification a change causes; failures are logged, as S3 drops what it cannot deliver. */
  async notify(change: S3Change): Promise<void> {
    const notification = this.byBucket.get(change.bucket);
    if (!notification) return;
    const { region, accountId, logger } = this.context;
    const deliveries = notification.targets
      .filter((target) => targetWants(target, change))
      .map(async (target) => {
        const event = s3EventNotification(change, target.id, region, accountId);
        try {
          if (target.kind === 'topic') await this.destinations.publish(target.arn, JSON.stringify(event), 'Amazon S3 Notification');
          else if (target.kind === 'queue') await this.destinations.send(target.arn, JSON.stringify(event));
          else await this.destinations.invoke(target.arn, event);
        } catch (error) {
          logger.warn(`S3 notification ${change.eventName} s3://${change.bucket}/${change.key} to ${target.arn} failed: ${(error as Error).message}`);
        }
      });
    if (notification.eventBridge) deliveries.push(this.toEventBridge(change));
    await Promise.all(deliveries);
  }

  private async toEventBridge(change: S3Change): Promise<void> {
    const putEvents = this.destinations.putEvents;
    if (!putEvents) {
      if (!this.warnedNoEventBridge) this.context.logger.warn(`Bucket ${change.bucket} sends events to EventBridge, but no EventBridge service runs; they are dropped`);
      this.warnedNoEventBridge = true;
      return;
    }
    try {
      const result = await putEvents([s3EventBridgeEntry(change, this.context.accountId)]);
      if (result.FailedEntryCount > 0) this.context.logger.warn(`EventBridge refused the ${change.eventName} event of s3://${change.bucket}/${change.key}`, { result });
    } catch (error) {
      this.context.logger.warn(`EventBridge delivery of ${change.eventName} s3://${change.bucket}/${change.key} failed: ${(error as Error).message}`);
    }
  }
}
