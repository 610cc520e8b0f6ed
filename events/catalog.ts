import { SOURCES } from './sources';
import type { DetailType } from './types';
import envelope from './schemas/envelope.schema.json';
import OrderCancelled from './schemas/OrderCancelled.v1.schema.json';
import OrderCompleted from './schemas/OrderCompleted.v1.schema.json';
import OrderCreated from './schemas/OrderCreated.v1.schema.json';
import OrderFailed from './schemas/OrderFailed.v1.schema.json';
import OrderStatusChanged from './schemas/OrderStatusChanged.v1.schema.json';
import PartnerOrderReceived from './schemas/PartnerOrderReceived.v1.schema.json';
import ProductImageUploaded from './schemas/ProductImageUploaded.v1.schema.json';

/** One event contract: who publishes it, under which source, and the JSON Schema of its `detail`. */
export interface EventContract {
  readonly detailType: DetailType;
  readonly version: 1;
  /** EventBridge `source` of the event. */
  readonly source: string;
  /** The component that publishes it. */
  readonly producer: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
}

export { SOURCES } from './sources';

/** The shared definitions every event schema references. */
export const ENVELOPE_SCHEMA = envelope as Record<string, unknown>;

function contract(detailType: DetailType, source: string, producer: string, schema: { description: string }): EventContract {
  return { detailType, version: 1, source, producer, description: schema.description, schema: schema as Record<string, unknown> };
}

/** Every domain event of the platform. */
export const EVENT_CATALOG: Readonly<Record<DetailType, EventContract>> = {
  OrderCreated: contract('OrderCreated', SOURCES.api, 'AppSync Mutation.createOrder; λ ingest-partner-order for partner orders', OrderCreated),
  OrderCancelled: contract('OrderCancelled', SOURCES.api, 'AppSync Mutation.cancelOrder', OrderCancelled),
  OrderStatusChanged: contract('OrderStatusChanged', SOURCES.fulfilment, 'order fulfilment (workflows, status updates)', OrderStatusChanged),
  OrderCompleted: contract('OrderCompleted', SOURCES.fulfilment, 'order fulfilment (delivery confirmed)', OrderCompleted),
  OrderFailed: contract('OrderFailed', SOURCES.fulfilment, 'order fulfilment (compensation finished)', OrderFailed),
  ProductImageUploaded: contract('ProductImageUploaded', SOURCES.media, 'λ notify-image-uploaded (S3 upload → SNS)', ProductImageUploaded),
  PartnerOrderReceived: contract('PartnerOrderReceived', SOURCES.partners, 'λ ingest-partner-order (partner intake API → SQS)', PartnerOrderReceived),
};
