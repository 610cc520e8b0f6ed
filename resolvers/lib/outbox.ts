import { util } from '@aws-appsync/utils';
import { SOURCES } from '../../events/sources';
import { ORDERS_TABLE } from './env';
import { outboxKeys } from './keys';

/** A domain event as the outbox stores it and PutEvents sends it. */
export type OutboxEvent = { source: string; detailType: string; detail: { eventId: string; correlationId: string; occurredAt: string; producer: string; eventVersion: number; data: Record<string, unknown> } };

/** An event published by the API (source `orders.api`), with the envelope of events/schemas. */
export function apiEvent(detailType: string, orderId: string, producer: string, occurredAt: string, data: Record<string, unknown>): OutboxEvent {
  return {
    source: SOURCES.api,
    detailType,
    // Deterministic per fact, so a re-publish is recognisable and consumers deduplicate it.
    detail: { eventId: `${detailType}:${orderId}`, eventVersion: 1, correlationId: orderId, occurredAt, producer, data },
  };
}

/** The raw TransactWriteItems entry that stores an event beside its order until it is published. */
export function outboxPut(orderId: string, event: OutboxEvent) {
  const keys = outboxKeys(orderId, event.detail.eventId, event.detail.occurredAt);
  return {
    table: ORDERS_TABLE,
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ PK: keys.PK, SK: keys.SK }),
    attributeValues: util.dynamodb.toMapValues({
      GSI4PK: keys.GSI4PK,
      GSI4SK: keys.GSI4SK,
      entityType: 'OUTBOX_EVENT',
      source: event.source,
      detailType: event.detailType,
      detail: event.detail,
    }),
    condition: { expression: 'attribute_not_exists(#PK)', expressionNames: { '#PK': 'PK' } },
  };
}

/** Events still waiting in the outbox among an order's items (from a Query on its partition). */
export function pendingEvents(items: { SK: string; source?: string; detailType?: string; detail?: OutboxEvent['detail'] }[]): OutboxEvent[] {
  const events: OutboxEvent[] = [];
  for (const item of items) {
    if (item.SK.indexOf('EVENT#') === 0) events.push({ source: item.source as string, detailType: item.detailType as string, detail: item.detail as OutboxEvent['detail'] });
  }
  return events;
}
