import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DeleteCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderItem } from '../../events/types';
import { PermanentError, TransientError, ValidationError, type Problem } from '../lib/errors';
import { newEvent, putEvents } from '../lib/events';
import { cancellationCodes } from '../lib/idempotency';
import { orderIndexKeys, orderKey, partnerReferenceKey, productKey } from '../lib/keys';
import { logger } from '../lib/logger';
import { eventOfOutboxItem, outboxItem, outboxKey, type OutboxItem, type OutgoingEvent } from '../lib/outbox';
import { partnerOrderId, partnerOwner, type PartnerOrderMessage } from './partner-order';

/** The `producer` of the events this function publishes. */
export const PRODUCER = 'lambda:ingest-partner-order';
/** GraphQL Int is 32-bit, and totals are Ints. */
const MAX_TOTAL = 2147483647;
/** BatchGetItem rounds for keys DynamoDB left unprocessed (throttling) before the record is retried instead. */
const BATCH_GET_ATTEMPTS = 3;

/** What {@link ingestPartnerOrder} needs. */
export interface IngestDeps {
  readonly table: Pick<DynamoDBDocumentClient, 'send'>;
  readonly events: Pick<EventBridgeClient, 'send'>;
  readonly tableName: string;
  readonly busName: string;
}

/**
 * What became of one message: `created` (order written and its events published), `created-publish-deferred`
 * (written; the events wait in the outbox for the sweep), `duplicate` (a redelivery: the order existed, and any
 * events still in its outbox were published).
 */
export interface IngestResult {
  readonly outcome: 'created' | 'created-publish-deferred' | 'duplicate';
  readonly orderId: string;
}

interface Product {
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
}

/**
 * Turns a validated partner order into a PENDING order owned by `partner:<partnerId>`, exactly once per
 * partner reference:
 * 1. One consistent BatchGetItem reads the catalogue lines and the order the reference maps to
 *    ({@link partnerOrderId}, deterministic). If the order exists, this is a redelivery: skip to step 4.
 * 2. Prices every line from the catalogue (an unknown sku, short stock, mixed currencies: permanent failures).
 * 3. One transaction puts the order, its PartnerOrderReceived and OrderCreated events in the outbox and the
 *    partner reference marker, each if absent. A concurrent delivery that won the race makes this a redelivery.
 * 4. Publishes the events still in the order's outbox and deletes those PutEvents accepted. A failed publish
 *    does not fail the message: the order was accepted, and the outbox sweep publishes the rest within minutes.
 */
export async function ingestPartnerOrder(message: PartnerOrderMessage, deps: IngestDeps): Promise<IngestResult> {
  const orderId = partnerOrderId(message.partnerId, message.partnerReference);
  logger.appendKeys({ orderId, partnerId: message.partnerId });
  const found = await readCatalogueAndOrder(message, orderId, deps);
  if (found.orderExists) return redelivered(orderId, deps);

  const order = priceOrder(message, orderId, found.products);
  const events = orderEvents(message, order);
  try {
    await deps.table.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: deps.tableName, Item: order, ConditionExpression: 'attribute_not_exists(PK)' } },
          ...events.map((event) => ({ Put: { TableName: deps.tableName, Item: outboxItem(orderId, event), ConditionExpression: 'attribute_not_exists(PK)' } })),
          {
            Put: {
              TableName: deps.tableName,
              Item: { ...partnerReferenceKey(message.partnerId, message.partnerReference), entityType: 'PARTNER_REFERENCE', orderId, createdAt: order.createdAt },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') return redelivered(orderId, deps);
    if (codes?.[codes.length - 1] === 'ConditionalCheckFailed') {
      throw new PermanentError(`Partner reference ${message.partnerId}/${message.partnerReference} is recorded for another order than ${orderId}`, { cause: error });
    }
    throw error;
  }
  const flushed = await flushOutbox(orderId, events, deps);
  return { outcome: flushed.deferred ? 'created-publish-deferred' : 'created', orderId };
}

async function readCatalogueAndOrder(message: PartnerOrderMessage, orderId: string, deps: IngestDeps): Promise<{ orderExists: boolean; products: Map<string, Product> }> {
  let keys: Record<string, unknown>[] = [orderKey(orderId), ...message.items.map((line) => productKey(line.sku))];
  const items: Record<string, unknown>[] = [];
  for (let attempt = 1; keys.length > 0; attempt += 1) {
    if (attempt > BATCH_GET_ATTEMPTS) throw new TransientError(`The catalogue read left ${keys.length} keys unprocessed after ${BATCH_GET_ATTEMPTS} attempts`);
    const response = await deps.table.send(new BatchGetCommand({ RequestItems: { [deps.tableName]: { Keys: keys, ConsistentRead: true } } }));
    items.push(...(response.Responses?.[deps.tableName] ?? []));
    keys = response.UnprocessedKeys?.[deps.tableName]?.Keys ?? [];
  }
  const products = new Map<string, Product>();
  let orderExists = false;
  for (const item of items) {
    if (item.PK === orderKey(orderId).PK && item.SK === 'ORDER') orderExists = true;
    else if (item.SK === 'PRODUCT') products.set(item.sku as string, item as unknown as Product);
  }
  return { orderExists, products };
}

/** The order item: lines named and priced from the catalogue, PENDING, with the index keys of any order. */
function priceOrder(message: PartnerOrderMessage, orderId: string, products: Map<string, Product>) {
  const problems: Problem[] = [];
  const lines: OrderItem[] = [];
  const currencies = new Set<string>();
  message.items.forEach((line, index) => {
    const product = products.get(line.sku);
    if (!product) {
      problems.push({ field: `items[${index}].sku`, rule: `names no product (${line.sku})` });
      return;
    }
    if (product.stock < line.quantity) problems.push({ field: `items[${index}].quantity`, rule: `exceeds the ${product.stock} in stock` });
    currencies.add(product.currency);
    lines.push({ sku: product.sku, name: product.name, quantity: line.quantity, unitPrice: product.price });
  });
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  if (currencies.size > 1) problems.push({ field: 'items', rule: `must all be priced in one currency (found ${[...currencies].join(', ')})` });
  if (total > MAX_TOTAL) problems.push({ field: 'items', rule: `total must not exceed ${MAX_TOTAL} minor units` });
  if (problems.length > 0) throw new ValidationError(`Partner order ${message.partnerId}/${message.partnerReference}`, problems);

  const order = {
    id: orderId,
    owner: partnerOwner(message.partnerId),
    items: lines,
    total,
    currency: [...currencies][0],
    status: 'PENDING',
    createdAt: message.receivedAt,
    updatedAt: message.receivedAt,
  };
  return { ...orderKey(orderId), ...order, ...orderIndexKeys(order), entityType: 'ORDER', partnerId: message.partnerId, partnerReference: message.partnerReference };
}

/** PartnerOrderReceived and OrderCreated, with ids fixed by the order id so a re-publish is recognisable. */
function orderEvents(message: PartnerOrderMessage, order: ReturnType<typeof priceOrder>): OutgoingEvent[] {
  const envelope = { eventVersion: 1 as const, correlationId: order.id, occurredAt: message.receivedAt, producer: PRODUCER };
  return [
    newEvent('PartnerOrderReceived', {
      ...envelope,
      eventId: `PartnerOrderReceived:${order.id}`,
      data: {
        partnerId: message.partnerId,
        partnerReference: message.partnerReference,
        orderId: order.id,
        owner: order.owner,
        items: order.items,
        receivedAt: message.receivedAt,
      },
    }),
    newEvent('OrderCreated', {
      ...envelope,
      eventId: `OrderCreated:${order.id}`,
      data: { orderId: order.id, owner: order.owner, items: order.items, total: order.total, currency: order.currency, createdAt: order.createdAt },
    }),
  ];
}

/** A redelivery (or a concurrent delivery that lost the race): publish whatever the first left in the outbox. */
async function redelivered(orderId: string, deps: IngestDeps): Promise<IngestResult> {
  await flushOutbox(orderId, await pendingEvents(orderId, deps), deps);
  return { outcome: 'duplicate', orderId };
}

/** Events still in an order's outbox, read back after a redelivery. */
async function pendingEvents(orderId: string, deps: IngestDeps): Promise<OutgoingEvent[]> {
  const response = await deps.table.send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :event)',
      ExpressionAttributeValues: { ':pk': orderKey(orderId).PK, ':event': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return ((response.Items ?? []) as OutboxItem[]).map(eventOfOutboxItem);
}

/** Publishes the events and deletes the outbox items of those PutEvents accepted; refused ones wait for the sweep. */
async function flushOutbox(orderId: string, events: readonly OutgoingEvent[], deps: IngestDeps): Promise<{ deferred: boolean }> {
  if (events.length === 0) return { deferred: false };
  let outcome;
  try {
    outcome = await putEvents(deps.events, deps.busName, events);
  } catch (error) {
    logger.warn('Events stay in the outbox for the republish sweep', { eventIds: events.map((event) => event.detail.eventId), error: (error as Error).message });
    return { deferred: true };
  }
  if (outcome.failed.length > 0) {
    logger.warn('Events refused by PutEvents stay in the outbox for the republish sweep', {
      failed: outcome.failed.map((failure) => ({ eventId: failure.event.detail.eventId, errorCode: failure.errorCode })),
    });
  }
  for (const event of outcome.published) {
    await deps.table.send(new DeleteCommand({ TableName: deps.tableName, Key: outboxKey(orderId, event.detail.eventId) }));
  }
  return { deferred: outcome.failed.length > 0 };
}
