import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderStatus } from '../../events/types';
import type { AnyDomainEvent } from '../lib/events';
import { putOnce, type PutOnceResult } from '../lib/idempotency';
import { notificationKey } from '../lib/keys';

/** Shipping events the `push` queue's subscription lets through. */
export const PUSH_EVENT_TYPES = ['OrderStatusChanged', 'OrderCompleted'] as const;
export type PushEvent = AnyDomainEvent<(typeof PUSH_EVENT_TYPES)[number]>;

/** Days an inbox item is kept (the table's TTL removes it). */
export const NOTIFICATION_RETENTION_DAYS = 90;

const STATUS_TITLES: Record<OrderStatus, string> = {
  PENDING: 'Order received',
  RESERVED: 'Items reserved',
  PAID: 'Payment received',
  SHIPPED: 'Your order is on its way',
  COMPLETED: 'Your order was delivered',
  CANCELLED: 'Order cancelled',
  FAILED: 'Order not completed',
};

/** Title and text of the inbox item for an event. */
export function notificationFor(event: PushEvent): { title: string; body: string } {
  const order = event.detail.data.orderId;
  if (event['detail-type'] === 'OrderCompleted') return { title: STATUS_TITLES.COMPLETED, body: `Order ${order} was delivered.` };
  const { status, reason } = event.detail.data;
  return { title: STATUS_TITLES[status], body: `Order ${order}: ${STATUS_TITLES[status].toLowerCase()}.${reason ? ` ${reason}` : ''}` };
}

/** What {@link writeNotification} needs. */
export interface WriteNotificationDeps {
  readonly client: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now?: () => Date;
}

/**
 * Puts an unread item in the customer's in-app inbox, keyed by the event's time and id, if it is not there yet:
 * a redelivered event finds its item and changes nothing.
 */
export async function writeNotification(event: PushEvent, deps: WriteNotificationDeps): Promise<PutOnceResult> {
  const now = (deps.now ?? (() => new Date()))();
  const { orderId, owner } = event.detail.data;
  return putOnce(deps.client, deps.tableName, {
    ...notificationKey(owner, event.detail.occurredAt, event.detail.eventId),
    entityType: 'NOTIFICATION',
    ...notificationFor(event),
    orderId,
    eventId: event.detail.eventId,
    detailType: event['detail-type'],
    read: false,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + NOTIFICATION_RETENTION_DAYS * 24 * 60 * 60,
  });
}
