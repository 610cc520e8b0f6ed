import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PermanentError } from './errors';

/** An object read whole into memory. */
export interface ObjectContent {
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly contentType?: string;
  readonly eTag?: string;
}

/**
 * Reads an object, or answers undefined if it no longer exists (deleted or replaced by a delete marker since the
 * notification). One bigger than `maxBytes` is refused before its body is read: a {@link PermanentError}.
 */
export async function readObject(s3: Pick<S3Client, 'send'>, bucket: string, key: string, maxBytes: number): Promise<ObjectContent | undefined> {
  let response;
  try {
    response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const size = response.ContentLength ?? 0;
  if (size > maxBytes) {
    // Close the connection instead of downloading what will not be used (on Node the body is a Readable).
    (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw new PermanentError(`s3://${bucket}/${key} is ${size} bytes; at most ${maxBytes} are read`);
  }
  if (!response.Body) throw new PermanentError(`s3://${bucket}/${key} has no body`);
  const bytes = await response.Body.transformToByteArray();
  return { bytes, size: bytes.byteLength, contentType: response.ContentType, eTag: response.ETag?.replace(/"/g, '') };
}

/** Whether S3 answered that the object is not there. */
export function isMissing(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
}
