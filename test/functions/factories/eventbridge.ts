import { randomUUID } from 'node:crypto';
import { EVENT_CATALOG } from '../../../events/catalog';
import type { DetailType, DomainEvent, EventDataByType, EventDetail } from '../../../events/types';
import { validateEventDetail } from '../../../events/validate';

const OCCURRED_AT = '2026-11-28T10:00:00.000Z';
const ORDER_ID = '01JDQ6Z8K3M4N5P6Q7R8S9T0VW';
const OWNER = '3f6c1d2e-9a8b-4c7d-8e6f-5a4b3c2d1e0f';
const ITEMS = [
  { sku: 'MUG-01', name: 'Stoneware mug', quantity: 2, unitPrice: 1250 },
  { sku: 'TEA-EARL', name: 'Earl Grey, 100 g', quantity: 1, unitPrice: 799 },
];

/** A valid `data` of every event, typed by the contract. */
const DATA: { [T in DetailType]: EventDataByType[T] } = {
  OrderCreated: { orderId: ORDER_ID, owner: OWNER, items: ITEMS, total: 3299, currency: 'EUR', createdAt: OCCURRED_AT },
  OrderCancelled: { orderId: ORDER_ID, owner: OWNER, previousStatus: 'PENDING', reason: 'Ordered twice', cancelledAt: OCCURRED_AT },
  OrderStatusChanged: { orderId: ORDER_ID, owner: OWNER, status: 'SHIPPED', previousStatus: 'PAID', reason: null, changedAt: OCCURRED_AT },
  OrderCompleted: { orderId: ORDER_ID, owner: OWNER, total: 3299, currency: 'EUR', completedAt: OCCURRED_AT },
  OrderFailed: { orderId: ORDER_ID, owner: OWNER, reason: 'Payment declined', failedAt: OCCURRED_AT },
  ProductImageUploaded: { sku: 'MUG-01', bucket: 'orders-test-media', key: 'products/MUG-01/original.png', size: 2048, contentType: 'image/png', uploadedAt: OCCURRED_AT },
  PartnerOrderReceived: { partnerId: 'acme', partnerReference: 'PO-1001', orderId: ORDER_ID, owner: 'partner:acme', items: ITEMS, receivedAt: OCCURRED_AT },
};

/** Overrides of an example event: envelope fields, and `data` fields merged into the example's. */
export interface EventOverrides<T extends DetailType> {
  readonly detail?: Partial<Omit<EventDetail<EventDataByType[T]>, 'data'>>;
  readonly data?: Partial<EventDataByType[T]>;
}

/** The `detail` of an example event; valid against its schema unless the overrides break it. */
export function exampleDetail<T extends DetailType>(detailType: T, overrides: EventOverrides<T> = {}): EventDetail<EventDataByType[T]> {
  const data = { ...DATA[detailType], ...overrides.data } as EventDataByType[T];
  const key = 'orderId' in data ? (data as { orderId: string }).orderId : (data as { sku: string }).sku;
  return { eventId: `${detailType}:${key}`, eventVersion: 1, correlationId: key, occurredAt: OCCURRED_AT, producer: 'test', ...overrides.detail, data };
}

/** An EventBridge event as a rule target receives it, with the catalog's source for its detail-type. */
export function domainEvent<T extends DetailType>(detailType: T, overrides: EventOverrides<T> = {}): DomainEvent<T> {
  const detail = exampleDetail(detailType, overrides);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: EVENT_CATALOG[detailType].source,
    account: '123456789012',
    time: detail.occurredAt.replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

/** An example event that honours its contract (checked, so a stale factory fails loudly). */
export function validDomainEvent<T extends DetailType>(detailType: T, overrides: EventOverrides<T> = {}): DomainEvent<T> {
  const event = domainEvent(detailType, overrides);
  validateEventDetail(detailType, event.detail);
  return event;
}

export const EXAMPLE_ORDER_ID = ORDER_ID;
export const EXAMPLE_OWNER = OWNER;
