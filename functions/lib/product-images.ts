import { ValidationError } from './errors';

/** Width of a product thumbnail, in pixels; the height keeps the original's aspect ratio. */
export const THUMBNAIL_WIDTH = 256;
/** Largest original the media functions read into memory (25 MiB); a bigger one is a permanent failure. */
export const MAX_ORIGINAL_BYTES = 25 * 1024 * 1024;
/** Extensions an original may have. */
export const ORIGINAL_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'avif', 'tif', 'tiff'] as const;

const ORIGINAL = /^products\/([A-Z0-9][A-Z0-9-]{1,31})\/original\.([A-Za-z0-9]{1,5})$/;
const THUMBNAIL = /^products\/([A-Z0-9][A-Z0-9-]{1,31})\/thumbnail\.webp$/;

/** What a key in the media bucket is: a product's original image, or a thumbnail the platform made. */
export type ProductImageKey = { readonly kind: 'original'; readonly sku: string; readonly extension: string } | { readonly kind: 'thumbnail'; readonly sku: string };

/**
 * Reads `products/<SKU>/original.<ext>` or `products/<SKU>/thumbnail.webp`; any other key is a
 * {@link ValidationError} naming the rule (it cannot become valid by retrying).
 */
export function parseProductImageKey(key: string): ProductImageKey {
  const original = ORIGINAL.exec(key);
  const extension = original?.[2].toLowerCase();
  if (original && extension && (ORIGINAL_EXTENSIONS as readonly string[]).includes(extension)) return { kind: 'original', sku: original[1], extension };
  const thumbnail = THUMBNAIL.exec(key);
  if (thumbnail) return { kind: 'thumbnail', sku: thumbnail[1] };
  throw new ValidationError(`Object key ${key}`, [
    { field: 'key', rule: `must be products/<SKU>/original.<${ORIGINAL_EXTENSIONS.join('|')}> with a SKU of 2-32 upper-case letters, digits or dashes` },
  ]);
}

/** Where the thumbnail of a product's image goes, in the same bucket. */
export function thumbnailKey(sku: string): string {
  return `products/${sku}/thumbnail.webp`;
}
