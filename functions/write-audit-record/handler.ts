import { sqsBatchHandler } from '../lib/batch';
import { documentClient } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { parseQueuedDomainEvent } from '../lib/events';
import { AUDITED_EVENT_TYPES, writeAuditRecord } from './audit';

const env = requireEnv(['TABLE_NAME']);
const deps = { client: documentClient(), tableName: env.TABLE_NAME };

/** SQS consumer of the `audit` queue (every customer-facing event, raw SNS delivery): one record per event id. */
export const handler = sqsBatchHandler(async (record) => writeAuditRecord(parseQueuedDomainEvent(record, AUDITED_EVENT_TYPES), deps));
