import type { Context } from 'aws-lambda';
import { documentClient } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { describeError } from '../lib/errors';
import { parseDomainEvent } from '../lib/events';
import { beginWork, correlationIdOfEvent, logger } from '../lib/logger';
import { awardLoyaltyPoints, type AwardResult } from './award-points';

const env = requireEnv(['TABLE_NAME']);
const deps = { client: documentClient(), tableName: env.TABLE_NAME };

/**
 * EventBridge rule target for OrderCompleted. An event that breaks its contract is rejected with the schema's
 * error (the invocation fails, so it is retried and then kept by the function's failure destination) before
 * anything is written.
 */
export async function handler(event: unknown, context: Context): Promise<AwardResult> {
  beginWork(correlationIdOfEvent(event, context.awsRequestId), {}, context);
  try {
    const orderCompleted = parseDomainEvent(event, ['OrderCompleted']);
    const result = await awardLoyaltyPoints(orderCompleted, deps);
    logger.info(result.outcome === 'awarded' ? 'Loyalty points awarded' : 'Loyalty points already awarded for this order', { ...result, eventId: orderCompleted.detail.eventId });
    return result;
  } catch (error) {
    logger.error('OrderCompleted not handled', { error: describeError(error) });
    throw error;
  }
}
