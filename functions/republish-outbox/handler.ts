import type { Context } from 'aws-lambda';
import { documentClient, eventBridgeClient } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { describeError } from '../lib/errors';
import { beginWork, logger } from '../lib/logger';
import { republishOutbox, type RepublishResult } from './republish';

const env = requireEnv(['TABLE_NAME', 'EVENT_BUS_NAME']);
const deps = { table: documentClient(), events: eventBridgeClient(), tableName: env.TABLE_NAME, busName: env.EVENT_BUS_NAME };

/** Invoked every minute by EventBridge Scheduler; the payload carries nothing the sweep needs. */
export async function handler(_event: unknown, context: Context): Promise<RepublishResult> {
  beginWork(context.awsRequestId, {}, context);
  try {
    const result = await republishOutbox({ ...deps, remainingTimeMs: () => context.getRemainingTimeInMillis() });
    if (result.found > 0 || result.truncated) logger.info('Outbox swept', { ...result });
    return result;
  } catch (error) {
    logger.error('Outbox sweep failed', { error: describeError(error) });
    throw error;
  }
}
