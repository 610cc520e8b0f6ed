import type { DetailType, EventDetail } from '../../events/types';

/**
 * The transactional outbox, shared with the AppSync resolvers: a mutation writes the event beside its order in
 * the same transaction, and the item stays in the sparse GSI4 until the event is published and the item deleted.
 *
 * `{ PK: ORDER#<id>, SK: EVENT#<eventId>, GSI4PK: OUTBOX, GSI4SK: <occurredAt>#<eventId>, entityType: OUTBOX_EVENT,
 *    source, detailType, detail, expiresAt? }`
 */

/** GSI4's only partition: every event not yet published. */
export const OUTBOX_PARTITION = 'OUTBOX';
/** The sparse index over unpublished events. */
export const OUTBOX_INDEX = 'GSI4';
/** `entityType` of an outbox item. */
export const OUTBOX_ENTITY_TYPE = 'OUTBOX_EVENT';
/** Prefix of an outbox item's sort key. */
export const OUTBOX_SORT_KEY_PREFIX = 'EVENT#';

/** An event ready for PutEvents: source and detail-type beside the envelope. */
export interface OutgoingEvent<T extends DetailType = DetailType> {
  readonly source: string;
  readonly detailType: T;
  readonly detail: EventDetail<unknown>;
}

/** An outbox item as stored. */
export interface OutboxItem {
  PK: string;
  SK: string;
  GSI4PK?: string;
  GSI4SK?: string;
  entityType: typeof OUTBOX_ENTITY_TYPE;
  source: string;
  detailType: string;
  detail: EventDetail<unknown>;
  expiresAt?: number;
}

/** Primary key of an outbox item: beside its order. */
export function outboxKey(orderId: string, eventId: string) {
  return { PK: `ORDER#${orderId}`, SK: `${OUTBOX_SORT_KEY_PREFIX}${eventId}` };
}

/** GSI4 keys of an outbox item: oldest first in the OUTBOX partition. */
export function outboxIndexKeys(occurredAt: string, eventId: string) {
  return { GSI4PK: OUTBOX_PARTITION, GSI4SK: `${occurredAt}#${eventId}` };
}

/** The whole outbox item that holds `event` for `orderId` until it is published. */
export function outboxItem(orderId: string, event: OutgoingEvent, expiresAt?: number): OutboxItem {
  return {
    ...outboxKey(orderId, event.detail.eventId),
    ...outboxIndexKeys(event.detail.occurredAt, event.detail.eventId),
    entityType: OUTBOX_ENTITY_TYPE,
    source: event.source,
    detailType: event.detailType,
    detail: event.detail,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

/** The event an outbox item holds. */
export function eventOfOutboxItem(item: Pick<OutboxItem, 'source' | 'detailType' | 'detail'>): OutgoingEvent {
  return { source: item.source, detailType: item.detailType as DetailType, detail: item.detail };
}

/** Whether a sort key is an outbox item's. */
export function isOutboxSortKey(sortKey: string): boolean {
  return sortKey.startsWith(OUTBOX_SORT_KEY_PREFIX);
}
