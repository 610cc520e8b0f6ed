/** Order lifecycle statuses, as in schema.graphql. */
export type OrderStatus = 'PENDING' | 'RESERVED' | 'PAID' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

/** A priced order line. */
export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  /** Minor units (cents). */
  unitPrice: number;
}

/** The envelope every event carries in EventBridge's `detail`, around its `data`. */
export interface EventDetail<TData> {
  /** Unique per fact; re-publishing the same fact keeps it, so consumers deduplicate on it. */
  eventId: string;
  eventVersion: 1;
  /** Ties every event of one business flow together. */
  correlationId: string;
  /** ISO 8601 timestamp. */
  occurredAt: string;
  /** Who published it, e.g. `appsync:createOrder`. */
  producer: string;
  data: TData;
}

export interface OrderCreatedData {
  orderId: string;
  owner: string;
  items: OrderItem[];
  total: number;
  currency: string;
  createdAt: string;
}

export interface OrderCancelledData {
  orderId: string;
  owner: string;
  previousStatus: OrderStatus;
  reason: string | null;
  cancelledAt: string;
}

export interface OrderStatusChangedData {
  orderId: string;
  owner: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  reason: string | null;
  changedAt: string;
}

export interface OrderCompletedData {
  orderId: string;
  owner: string;
  total: number;
  currency: string;
  completedAt: string;
}

export interface OrderFailedData {
  orderId: string;
  owner: string;
  reason: string;
  failedAt: string;
}

export interface ProductImageUploadedData {
  sku: string;
  bucket: string;
  key: string;
  size: number;
  contentType: string;
  uploadedAt: string;
}

export interface PartnerOrderReceivedData {
  partnerId: string;
  partnerReference: string;
  orderId: string;
  owner: string;
  items: OrderItem[];
  receivedAt: string;
}

/** Every event's `data`, by detail-type. */
export interface EventDataByType {
  OrderCreated: OrderCreatedData;
  OrderCancelled: OrderCancelledData;
  OrderStatusChanged: OrderStatusChangedData;
  OrderCompleted: OrderCompletedData;
  OrderFailed: OrderFailedData;
  ProductImageUploaded: ProductImageUploadedData;
  PartnerOrderReceived: PartnerOrderReceivedData;
}

/** A detail-type of the platform. */
export type DetailType = keyof EventDataByType;

/** An EventBridge event of the platform, as consumers receive it. */
export interface DomainEvent<T extends DetailType = DetailType> {
  version: '0';
  id: string;
  'detail-type': T;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: EventDetail<EventDataByType[T]>;
}
