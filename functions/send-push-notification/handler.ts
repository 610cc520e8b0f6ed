import { sqsBatchHandler } from '../lib/batch';
import { documentClient } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { parseQueuedDomainEvent } from '../lib/events';
import { PUSH_EVENT_TYPES, writeNotification } from './notification';

const env = requireEnv(['TABLE_NAME']);
const deps = { client: documentClient(), tableName: env.TABLE_NAME };

/** SQS consumer of the `push` queue (shipping events, raw SNS delivery): one inbox item per event id. */
export const handler = sqsBatchHandler(async (record) => writeNotification(parseQueuedDomainEvent(record, PUSH_EVENT_TYPES), deps));
