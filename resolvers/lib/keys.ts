/**
 * Keys of the orders single table. Every request path is a GetItem, a Query on one of these keys or a
 * BatchGetItem; nothing scans. The README's access pattern table is written from this file.
 *
 * | entity            | PK                         | SK          | GSI1PK / GSI1SK                    | GSI2PK / GSI2SK                                | GSI3PK / GSI3SK                  |
 * | product           | PRODUCT#<sku>              | PRODUCT     | PRODUCTS / <sku>                   |                                                |                                  |
 * | order             | ORDER#<id>                 | ORDER       | CUSTOMER#<sub> / <createdAt>#<id>  | CUSTOMER#<sub>#STATUS#<status> / <createdAt>#<id> | STATUS#<status> / <createdAt>#<id> |
 * | idempotency key   | IDEMPOTENCY#<sub>#<key>    | IDEMPOTENCY |                                    |                                                |                                  |
 * | outbox event      | ORDER#<id>                 | EVENT#<eventId> | GSI4PK = OUTBOX / GSI4SK = <occurredAt>#<eventId> (sparse: only unpublished events)                |
 */

/** Global secondary indexes of the orders table. */
export const ORDERS_TABLE_INDEXES = [
  { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  { name: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
];

/** Seconds an idempotency key is remembered (24 h), via the table's TTL attribute. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Primary key of a product. */
export function productKey(sku: string) {
  return { PK: `PRODUCT#${sku}`, SK: 'PRODUCT' };
}

/** Index keys that list the catalogue by sku. */
export function productIndexKeys(sku: string) {
  return { GSI1PK: 'PRODUCTS', GSI1SK: sku };
}

/** Primary key of an order. */
export function orderKey(id: string) {
  return { PK: `ORDER#${id}`, SK: 'ORDER' };
}

/** Partition of a customer's orders in GSI1. */
export function customerOrdersPartition(owner: string): string {
  return `CUSTOMER#${owner}`;
}

/** Partition of a customer's orders in one status in GSI2. */
export function customerStatusPartition(owner: string, status: string): string {
  return `CUSTOMER#${owner}#STATUS#${status}`;
}

/** Partition of every order in one status in GSI3. */
export function statusPartition(status: string): string {
  return `STATUS#${status}`;
}

/** Index keys of an order: they change with its status, so every status write sets them again. */
export function orderIndexKeys(order: { id: string; owner: string; status: string; createdAt: string }) {
  const sortKey = `${order.createdAt}#${order.id}`;
  return {
    GSI1PK: customerOrdersPartition(order.owner),
    GSI1SK: sortKey,
    GSI2PK: customerStatusPartition(order.owner, order.status),
    GSI2SK: sortKey,
    GSI3PK: statusPartition(order.status),
    GSI3SK: sortKey,
  };
}

/** Status-dependent index keys only, for updates that know the order's owner and status. */
export function orderStatusIndexKeys(owner: string, status: string) {
  return { GSI2PK: customerStatusPartition(owner, status), GSI3PK: statusPartition(status) };
}

/** Primary key of a remembered idempotency key, scoped to the customer so keys never collide across users. */
export function idempotencyKey(owner: string, key: string) {
  return { PK: `IDEMPOTENCY#${owner}#${key}`, SK: 'IDEMPOTENCY' };
}

/** Partition of GSI4 holding every event not yet published (the transactional outbox). */
export const OUTBOX_PARTITION = 'OUTBOX';

/** Key and index keys of an outbox item: the event waits beside its order until it is published. */
export function outboxKeys(orderId: string, eventId: string, occurredAt: string) {
  return { PK: `ORDER#${orderId}`, SK: `EVENT#${eventId}`, GSI4PK: OUTBOX_PARTITION, GSI4SK: `${occurredAt}#${eventId}` };
}
