import { runtime, util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { ORDERS_TABLE } from '../lib/env';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyKey, orderIndexKeys, orderKey } from '../lib/keys';
import type { CreateOrderInput, Order } from '../lib/order';

type Args = { input: CreateOrderInput };

/** Writes the order and its idempotency record in one transaction: both exist, or neither. */
export function request(ctx: Context<Args>) {
  if (ctx.stash.existingOrder) runtime.earlyReturn(ctx.stash.existingOrder);
  const order: Order = ctx.stash.order;
  const items = [
    {
      putItem: {
        table: ORDERS_TABLE,
        key: orderKey(order.id),
        item: { ...order, ...orderIndexKeys(order), entityType: 'ORDER' },
        condition: { PK: { attributeExists: false } },
      },
    },
  ];
  const key = ctx.args.input.idempotencyKey;
  if (key) {
    items.push({
      putItem: {
        table: ORDERS_TABLE,
        key: idempotencyKey(order.owner, key),
        item: { orderId: order.id, entityType: 'IDEMPOTENCY_KEY', expiresAt: util.time.nowEpochSeconds() + IDEMPOTENCY_TTL_SECONDS } as never,
        condition: { PK: { attributeExists: false } },
      },
    });
  }
  return transactWrite({ items });
}

export function response(ctx: Context<Args>) {
  if (ctx.error) {
    const reasons = (ctx.result && ctx.result.cancellationReasons) || [];
    const keyTaken = reasons.length > 1 && reasons[1] && reasons[1].type === 'ConditionalCheckFailed';
    if (keyTaken) util.error('input.idempotencyKey is being used by a concurrent request; retry to get its order', 'ConflictError');
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.order;
}
