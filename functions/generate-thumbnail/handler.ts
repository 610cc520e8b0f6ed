import { sqsBatchHandler } from '../lib/batch';
import { s3Client } from '../lib/clients';
import { logger } from '../lib/logger';
import { createdObjectsOfRecord } from '../lib/s3-notifications';
import { generateThumbnail, type ThumbnailOutcome } from './thumbnail';

const deps = { s3: s3Client() };

/**
 * SQS consumer of the `thumbnails` queue (raw SNS delivery of the media bucket's notifications). A key that is
 * not a product image, or an image that does not decode, fails its record for good: it reaches the DLQ after
 * maxReceiveCount.
 */
export const handler = sqsBatchHandler(async (record) => {
  const outcomes: ThumbnailOutcome[] = [];
  for (const object of createdObjectsOfRecord(record)) {
    // The upload's S3 request id is the correlation id of everything that follows from it.
    if (object.requestId) logger.setCorrelationId(object.requestId);
    const outcome = await generateThumbnail(object, deps);
    logger.info('Upload handled', { bucket: object.bucket, key: object.key, outcome });
    outcomes.push(outcome);
  }
  return outcomes.join(',') || 'no-objects';
});
