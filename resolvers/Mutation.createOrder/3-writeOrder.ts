import { runtime, util, type Context } from '@aws-appsync/utils';
import { ORDERS_TABLE } from '../lib/env';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyKey, orderIndexKeys, orderKey } from '../lib/keys';
import type { CreateOrderInput, Order } from '../lib/order';
import { apiEvent, outboxPut } from '../lib/outbox';

type Args = { input: CreateOrderInput };

const PUT_IF_ABSENT = { expression: 'attribute_not_exists(#PK)', expressionNames: { '#PK': 'PK' } };

/** Writes the order, its OrderCreated event (outbox) and its idempotency record in one transaction: all exist, or none. */
export function request(ctx: Context<Args>) {
  if (ctx.stash.existingOrder) runtime.earlyReturn(ctx.stash.existingOrder);
  const order: Order = ctx.stash.order;
  const event = apiEvent('OrderCreated', order.id, 'appsync:createOrder', order.createdAt, {
    orderId: order.id,
    owner: order.owner,
    items: order.items,
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
  });
  ctx.stash.pendingEvents = [event];
  const transactItems: unknown[] = [
    {
      table: ORDERS_TABLE,
      operation: 'PutItem',
      key: util.dynamodb.toMapValues(orderKey(order.id)),
      attributeValues: util.dynamodb.toMapValues({ ...order, ...orderIndexKeys(order), entityType: 'ORDER' }),
      condition: PUT_IF_ABSENT,
    },
    outboxPut(order.id, event),
  ];
  const key = ctx.args.input.idempotencyKey;
  if (key) {
    transactItems.push({
      table: ORDERS_TABLE,
      operation: 'PutItem',
      key: util.dynamodb.toMapValues(idempotencyKey(order.owner, key)),
      attributeValues: util.dynamodb.toMapValues({ orderId: order.id, entityType: 'IDEMPOTENCY_KEY', expiresAt: util.time.nowEpochSeconds() + IDEMPOTENCY_TTL_SECONDS }),
      condition: PUT_IF_ABSENT,
    });
  }
  return { operation: 'TransactWriteItems', transactItems };
}

export function response(ctx: Context<Args>) {
  if (ctx.error) {
    const reasons = (ctx.result && ctx.result.cancellationReasons) || [];
    const keyTaken = reasons.length > 2 && reasons[2] && reasons[2].type === 'ConditionalCheckFailed';
    if (keyTaken) util.error('input.idempotencyKey is being used by a concurrent request; retry to get its order', 'ConflictError');
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.order;
}
