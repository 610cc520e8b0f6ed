import type { Context, SNSEvent } from 'aws-lambda';
import { eventBridgeClient, s3Client } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { describeError } from '../lib/errors';
import { beginWork, logger } from '../lib/logger';
import { notifyImagesUploaded, type NotifyResult } from './notify';

const env = requireEnv(['EVENT_BUS_NAME']);
const deps = { s3: s3Client(), events: eventBridgeClient(), busName: env.EVENT_BUS_NAME };

/** Direct SNS subscription of the `media-uploads` topic: announces product images on the event bus. */
export async function handler(event: SNSEvent, context: Context): Promise<NotifyResult> {
  beginWork(event.Records[0]?.Sns.MessageId ?? context.awsRequestId, {}, context);
  try {
    const result = await notifyImagesUploaded(event, deps);
    logger.info('Product image uploads announced', { ...result });
    return result;
  } catch (error) {
    logger.error('Product image uploads not announced', { error: describeError(error) });
    throw error;
  }
}
