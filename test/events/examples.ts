import type { DetailType, EventDataByType, EventDetail } from '../../events/types';

const envelope = { eventVersion: 1 as const, correlationId: '01JORDER', occurredAt: '2026-11-28T10:00:00.000Z' };
const items = [{ sku: 'MUG-01', name: 'Mug', quantity: 2, unitPrice: 1250 }];

/** A valid detail of every event, typed by the TypeScript contract, so types and schemas cannot drift apart. */
export const EXAMPLES: { [T in DetailType]: EventDetail<EventDataByType[T]> } = {
  OrderCreated: { ...envelope, eventId: 'OrderCreated:01JORDER', producer: 'appsync:createOrder', data: { orderId: '01JORDER', owner: 'alice', items, total: 2500, currency: 'EUR', createdAt: envelope.occurredAt } },
  OrderCancelled: { ...envelope, eventId: 'OrderCancelled:01JORDER', producer: 'appsync:cancelOrder', data: { orderId: '01JORDER', owner: 'alice', previousStatus: 'PENDING', reason: null, cancelledAt: envelope.occurredAt } },
  OrderStatusChanged: { ...envelope, eventId: 'OrderStatusChanged:01JORDER:PAID', producer: 'workflow', data: { orderId: '01JORDER', owner: 'alice', status: 'PAID', previousStatus: 'RESERVED', reason: null, changedAt: envelope.occurredAt } },
  OrderCompleted: { ...envelope, eventId: 'OrderCompleted:01JORDER', producer: 'workflow', data: { orderId: '01JORDER', owner: 'alice', total: 2500, currency: 'EUR', completedAt: envelope.occurredAt } },
  OrderFailed: { ...envelope, eventId: 'OrderFailed:01JORDER', producer: 'workflow', data: { orderId: '01JORDER', owner: 'alice', reason: 'payment declined', failedAt: envelope.occurredAt } },
  ProductImageUploaded: { ...envelope, eventId: 's3:etag', producer: 's3', data: { sku: 'MUG-01', bucket: 'orders-local-media', key: 'products/MUG-01/original.png', size: 2048, contentType: 'image/png', uploadedAt: envelope.occurredAt } },
  PartnerOrderReceived: { ...envelope, eventId: 'PartnerOrderReceived:acme:PO-1', producer: 'partner-intake', data: { partnerId: 'acme', partnerReference: 'PO-1', orderId: '01JORDER', owner: 'partner:acme', items, receivedAt: envelope.occurredAt } },
};
