import type { S3Client } from '@aws-sdk/client-s3';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { PermanentError } from '../lib/errors';
import { isConditionalCheckFailed } from '../lib/idempotency';
import { productKey } from '../lib/keys';
import { MAX_ORIGINAL_BYTES, parseProductImageKey } from '../lib/product-images';
import type { CreatedObject } from '../lib/s3-notifications';
import { readObject } from '../lib/s3-objects';

/** What the product item records about its image. */
export interface ImageMetadata {
  readonly key: string;
  readonly width: number;
  readonly height: number;
  /** sharp's name of the decoded format: `png`, `jpeg`, `webp`... */
  readonly format: string;
  /** Bytes. */
  readonly size: number;
  readonly contentType?: string;
  readonly eTag?: string;
  readonly updatedAt: string;
}

/** Width, height and format from the image's header; an image sharp cannot read is a {@link PermanentError}. */
export async function readImageMetadata(image: Uint8Array): Promise<{ width: number; height: number; format: string }> {
  let metadata;
  try {
    metadata = await sharp(image).metadata();
  } catch (error) {
    throw new PermanentError(`The image cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (!metadata.width || !metadata.height || !metadata.format) throw new PermanentError('The image has no width, height or format');
  // Dimensions as displayed: EXIF orientations 5-8 swap width and height.
  const swapped = (metadata.orientation ?? 1) >= 5;
  return { width: swapped ? metadata.height : metadata.width, height: swapped ? metadata.width : metadata.height, format: metadata.format };
}

/** What {@link recordImageMetadata} needs. */
export interface RecordImageMetadataDeps {
  readonly s3: Pick<S3Client, 'send'>;
  readonly table: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now?: () => Date;
}

/** What became of one uploaded object. */
export type MetadataOutcome = 'recorded' | 'skipped-own-output' | 'skipped-missing';

/**
 * Reads the uploaded original (size and type from S3, dimensions and format from sharp) and sets them as the
 * product's `image`. Idempotent and convergent: it records what the object is now, whatever delivery triggered
 * it, so a redelivery or an out-of-order one writes the same values. The product must exist
 * (`attribute_exists(PK)`): an image for an unknown SKU fails the record, which is retried until
 * maxReceiveCount (time enough for a product created just after its image) and then dead-lettered.
 */
export async function recordImageMetadata(object: CreatedObject, deps: RecordImageMetadataDeps): Promise<MetadataOutcome> {
  const image = parseProductImageKey(object.key);
  if (image.kind === 'thumbnail') return 'skipped-own-output';
  const original = await readObject(deps.s3, object.bucket, object.key, MAX_ORIGINAL_BYTES);
  if (!original) return 'skipped-missing';
  const decoded = await readImageMetadata(original.bytes);
  const metadata: ImageMetadata = {
    key: object.key,
    ...decoded,
    size: original.size,
    contentType: original.contentType,
    eTag: original.eTag,
    updatedAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  try {
    await deps.table.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: productKey(image.sku),
        UpdateExpression: 'SET #image = :image',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#image': 'image' },
        ExpressionAttributeValues: { ':image': metadata },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new PermanentError(`No product ${image.sku} for the image ${object.key}`, { cause: error });
    throw error;
  }
  return 'recorded';
}
