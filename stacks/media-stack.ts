import type { Construct } from 'constructs';
import { FanOutTopic, type FanOutQueue } from './constructs/fan-out-topic';
import { NodeFunction } from './constructs/node-function';
import { SecureBucket } from './constructs/secure-bucket';
import type { DataStack } from './data-stack';
import type { EventsStack } from './events-stack';
import { keyDecryptViaService, keyEncryptViaService, keyUseViaService, putEvents } from './lib/grants';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Props of {@link MediaStack}. */
export interface MediaStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly events: EventsStack;
}

/** Where product images live in the media bucket: `products/<SKU>/original.<ext>`, and the platform's `products/<SKU>/thumbnail.webp`. */
export const PRODUCT_IMAGES_PREFIX = 'products/';

/**
 * Pattern 3, fan-out, for product image uploads: the media bucket notifies an SNS topic of every object created
 * under `products/`; the topic fans out to a `thumbnails` queue (256 px WebP beside the original), an
 * `image-metadata` queue (dimensions and format onto the product item) and, directly, a function that announces
 * ProductImageUploaded on the bus. Each queue has a DLQ, an alarm and a consumer that reports partial batch
 * failures; the direct subscription sends invocations that still fail to a failure queue.
 *
 * Thumbnails are written under `products/` too, so their uploads are notified like any other. Nothing filters
 * them out before the functions: S3 filters take one prefix and one suffix per configuration, so "original.*
 * below any SKU" would be one configuration per extension and letter case, each one more way to miss an upload
 * silently; the SKU in the middle of the key defeats a prefix. Every function instead reads the key first
 * (`parseProductImageKey`) and skips a thumbnail before touching S3, so a thumbnail costs three short
 * invocations and can never start another thumbnail.
 */
export class MediaStack extends PlatformStack {
  /** The media bucket. */
  readonly bucket: SecureBucket;
  /** The topic the bucket notifies. */
  readonly uploads: FanOutTopic;
  /** The thumbnails queue and its consumer. */
  readonly thumbnails: FanOutQueue;
  /** The image-metadata queue and its consumer. */
  readonly imageMetadata: FanOutQueue;
  /** The function subscribed directly to the topic. */
  readonly notifier: NodeFunction;

  constructor(scope: Construct, id: string, props: MediaStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    const { security, table, key } = props.data;
    const context = { security, accountId: config.accountId, region: config.region, alarmTopicArn: props.data.alarms.arn };

    this.bucket = new SecureBucket(this, 'media', {
      name: naming.resource('media'),
      security,
      // Every new original rewrites its thumbnail; replaced versions are kept a month for recovery, not forever.
      lifecycle: [{ id: 'old-versions', noncurrentVersionsExpireAfterDays: 30 }],
    });
    this.uploads = new FanOutTopic(this, 'media-uploads', { name: naming.resource('media-uploads'), ...context });
    // Also lets S3 publish to the topic for this bucket and account.
    this.bucket.notifyTopic(this.uploads, { events: ['s3:ObjectCreated:*'], prefix: PRODUCT_IMAGES_PREFIX });

    const originals = `${this.bucket.arn}/${PRODUCT_IMAGES_PREFIX}*/original.*`;
    const readOriginals = { sid: 'ReadOriginals', actions: ['s3:GetObject'], resources: [originals] };
    const queueing = { maxReceiveCount: config.messaging.maxReceiveCount, maxBatchingWindowSeconds: 1 };

    this.thumbnails = this.uploads.addQueue('thumbnails', {
      queueName: naming.resource('thumbnails'),
      consumer: {
        name: naming.resource('generate-thumbnail'),
        entry: 'functions/generate-thumbnail/handler.ts',
        nodeModules: ['sharp'],
        memoryMb: 1024,
        timeoutSeconds: 30,
      },
      // One image per invocation: a large original takes seconds, and the 30 s timeout is then per image.
      batchSize: 1,
      ...queueing,
    });
    this.thumbnails.consumer?.function.grant('thumbnails', [
      readOriginals,
      { sid: 'WriteThumbnails', actions: ['s3:PutObject'], resources: [`${this.bucket.arn}/${PRODUCT_IMAGES_PREFIX}*/thumbnail.webp`] },
      ...keyUseViaService('MediaBucketKey', key.arn, 's3', config.region),
    ]);

    this.imageMetadata = this.uploads.addQueue('image-metadata', {
      queueName: naming.resource('image-metadata'),
      consumer: {
        name: naming.resource('extract-image-metadata'),
        entry: 'functions/extract-image-metadata/handler.ts',
        environment: { TABLE_NAME: table.name },
        nodeModules: ['sharp'],
        memoryMb: 512,
      },
      batchSize: 10,
      ...queueing,
    });
    this.imageMetadata.consumer?.function.grant('image-metadata', [
      readOriginals,
      ...keyDecryptViaService('MediaBucketKey', key.arn, 's3', config.region),
      {
        sid: 'RecordProductImage',
        actions: ['dynamodb:UpdateItem'],
        resources: [table.arn],
        conditions: [{ test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: ['PRODUCT#*'] }],
      },
      ...keyUseViaService('OrdersTableKey', key.arn, 'dynamodb', config.region),
    ]);

    this.notifier = new NodeFunction(this, 'notify-image-uploaded', {
      name: naming.resource('notify-image-uploaded'),
      entry: 'functions/notify-image-uploaded/handler.ts',
      environment: { EVENT_BUS_NAME: props.events.bus.eventBusName },
      security,
      accountId: config.accountId,
      region: config.region,
    });
    this.uploads.addLambdaSubscription('notify-image-uploaded', this.notifier);
    // HeadObject names the notified version (the bucket is versioned); it reads metadata only, so no key use through S3.
    this.notifier.grant('announce-uploads', [
      { sid: 'HeadOriginals', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [originals] },
      ...putEvents('PutEventsOnBus', props.events.bus.arn),
      ...keyEncryptViaService('BusKey', key.arn, 'events', config.region),
    ]);
  }
}
