import { sqsBatchHandler } from '../lib/batch';
import { documentClient, eventBridgeClient } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { logger } from '../lib/logger';
import { ingestPartnerOrder } from './ingest';
import { parsePartnerOrderMessage } from './partner-order';

const env = requireEnv(['TABLE_NAME', 'EVENT_BUS_NAME']);
const deps = { table: documentClient(), events: eventBridgeClient(), tableName: env.TABLE_NAME, busName: env.EVENT_BUS_NAME };

/**
 * SQS consumer of the partner intake queue (API Gateway `POST /v1/partner-orders` sends the partner's JSON as the
 * message body). An invalid order or an unknown sku fails its record for good: it reaches the DLQ after
 * maxReceiveCount.
 */
export const handler = sqsBatchHandler(async (record) => {
  const message = parsePartnerOrderMessage(record);
  const result = await ingestPartnerOrder(message, deps);
  logger.setCorrelationId(result.orderId);
  logger.info('Partner order handled', { ...result, partnerReference: message.partnerReference, apiRequestId: message.requestId });
  return result.outcome;
});
