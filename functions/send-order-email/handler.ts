import { dynamoDbClient, documentClient, sesClient } from '../lib/clients';
import { sqsBatchHandler } from '../lib/batch';
import { requireEnv } from '../lib/env';
import { parseQueuedDomainEvent } from '../lib/events';
import { idempotencyStore, idempotentOnEventId } from '../lib/idempotency';
import { logger } from '../lib/logger';
import { EMAIL_EVENT_TYPES } from './compose';
import { sendOrderEmail } from './send-email';

const FUNCTION = 'send-order-email';
const env = requireEnv(['TABLE_NAME', 'FROM_ADDRESS']);
const deps = { table: documentClient(), ses: sesClient(), tableName: env.TABLE_NAME, fromAddress: env.FROM_ADDRESS };
const sendOnce = idempotentOnEventId(sendOrderEmail, { persistenceStore: idempotencyStore(dynamoDbClient(), env.TABLE_NAME, FUNCTION), functionName: FUNCTION });

/** SQS consumer of the `email` queue (raw SNS delivery of order events): one email per event id. */
export const handler = sqsBatchHandler(async (record, context) => {
  const event = parseQueuedDomainEvent(record, EMAIL_EVENT_TYPES);
  sendOnce.registerLambdaContext(context);
  const result = await sendOnce(event, deps);
  if (result.replayed) return 'duplicate';
  if (result.outcome === 'skipped-no-profile') logger.warn('No customer profile with an email address; email skipped', { eventId: event.detail.eventId });
  else logger.info('Email sent', { eventId: event.detail.eventId, detailType: event['detail-type'], messageId: result.messageId });
  return result.outcome;
});
