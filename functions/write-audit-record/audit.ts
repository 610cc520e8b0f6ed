import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EVENT_CATALOG } from '../../events/catalog';
import type { DetailType } from '../../events/types';
import type { AnyDomainEvent } from '../lib/events';
import { putOnce, type PutOnceResult } from '../lib/idempotency';
import { auditKey } from '../lib/keys';

/** The audit trail takes every event of the catalog the `audit` queue receives. */
export const AUDITED_EVENT_TYPES = Object.keys(EVENT_CATALOG) as DetailType[];

/** What {@link writeAuditRecord} needs. */
export interface WriteAuditRecordDeps {
  readonly client: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now?: () => Date;
}

/**
 * Keeps the whole event, as received, in the day's audit partition, keyed by its time and id. Records are
 * immutable: a redelivered event finds its record and the put does nothing. They carry no TTL; how long the
 * trail is kept is a retention decision, not this function's.
 */
export async function writeAuditRecord(event: AnyDomainEvent, deps: WriteAuditRecordDeps): Promise<PutOnceResult> {
  const detail = event.detail;
  const data = detail.data as { orderId?: string; owner?: string };
  return putOnce(deps.client, deps.tableName, {
    ...auditKey(detail.occurredAt, detail.eventId),
    entityType: 'AUDIT_RECORD',
    eventId: detail.eventId,
    detailType: event['detail-type'],
    source: event.source,
    correlationId: detail.correlationId,
    producer: detail.producer,
    occurredAt: detail.occurredAt,
    orderId: data.orderId,
    owner: data.owner,
    event,
    recordedAt: (deps.now ?? (() => new Date()))().toISOString(),
  });
}
