import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { PermanentError } from '../lib/errors';
import { MAX_ORIGINAL_BYTES, parseProductImageKey, THUMBNAIL_WIDTH, thumbnailKey } from '../lib/product-images';
import type { CreatedObject } from '../lib/s3-notifications';
import { readObject } from '../lib/s3-objects';

/** A thumbnail made in memory. */
export interface Thumbnail {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly format: 'webp';
}

/**
 * Resizes an image to `width` pixels wide, keeping its aspect ratio, as WebP. The image is first turned upright
 * by its EXIF orientation (phone photos), and one already narrower than `width` is not enlarged (an upscaled
 * thumbnail is only blurrier and bigger). An image sharp cannot decode is a {@link PermanentError}.
 */
export async function makeThumbnail(image: Uint8Array, width: number = THUMBNAIL_WIDTH): Promise<Thumbnail> {
  try {
    const { data, info } = await sharp(image).rotate().resize({ width, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, format: 'webp' };
  } catch (error) {
    throw new PermanentError(`The image cannot be made into a thumbnail: ${(error as Error).message}`, { cause: error });
  }
}

/** What {@link generateThumbnail} needs. */
export interface GenerateThumbnailDeps {
  readonly s3: Pick<S3Client, 'send'>;
}

/** What became of one uploaded object. */
export type ThumbnailOutcome = 'written' | 'skipped-own-output' | 'skipped-missing';

/**
 * Writes `products/<SKU>/thumbnail.webp` beside an uploaded original. Idempotent by construction: the output key
 * is fixed by the input key and the content by the current original, so a redelivery rewrites the same object.
 * The notification of the thumbnail's own upload is recognised and skipped, so the function never feeds itself.
 */
export async function generateThumbnail(object: CreatedObject, deps: GenerateThumbnailDeps): Promise<ThumbnailOutcome> {
  const image = parseProductImageKey(object.key);
  if (image.kind === 'thumbnail') return 'skipped-own-output';
  const original = await readObject(deps.s3, object.bucket, object.key, MAX_ORIGINAL_BYTES);
  if (!original) return 'skipped-missing';
  const thumbnail = await makeThumbnail(original.bytes);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: object.bucket,
      Key: thumbnailKey(image.sku),
      Body: thumbnail.data,
      ContentType: 'image/webp',
      Metadata: { 'source-key': object.key, ...(original.eTag ? { 'source-etag': original.eTag } : {}) },
    }),
  );
  return 'written';
}
