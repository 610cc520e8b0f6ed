import { sqsBatchHandler } from '../lib/batch';
import { documentClient, s3Client } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { logger } from '../lib/logger';
import { createdObjectsOfRecord } from '../lib/s3-notifications';
import { recordImageMetadata, type MetadataOutcome } from './metadata';

const env = requireEnv(['TABLE_NAME']);
const deps = { s3: s3Client(), table: documentClient(), tableName: env.TABLE_NAME };

/** SQS consumer of the `image-metadata` queue (raw SNS delivery of the media bucket's notifications). */
export const handler = sqsBatchHandler(async (record) => {
  const outcomes: MetadataOutcome[] = [];
  for (const object of createdObjectsOfRecord(record)) {
    // The upload's S3 request id is the correlation id of everything that follows from it.
    if (object.requestId) logger.setCorrelationId(object.requestId);
    const outcome = await recordImageMetadata(object, deps);
    logger.info('Upload handled', { bucket: object.bucket, key: object.key, outcome });
    outcomes.push(outcome);
  }
  return outcomes.join(',') || 'no-objects';
});
