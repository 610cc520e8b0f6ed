import { util, type Context } from '@aws-appsync/utils';
import { batchGet } from '@aws-appsync/utils/dynamodb';
import { ORDERS_TABLE } from '../lib/env';
import { raiseDataSourceError } from '../lib/errors';
import { idempotencyKey, productKey } from '../lib/keys';
import { MAX_TOTAL, type CreateOrderInput, type OrderLine } from '../lib/order';
import { rejectProblems, type Problem } from '../lib/validation';

type Args = { input: CreateOrderInput };
type Product = { PK: string; sku: string; name: string; price: number; currency: string; stock: number };

/** One consistent batch read: every ordered product, plus the idempotency record when a key was sent. */
export function request(ctx: Context<Args>) {
  const keys = ctx.args.input.items.map((item) => productKey(item.sku));
  if (ctx.args.input.idempotencyKey) keys.push(idempotencyKey(ctx.stash.owner, ctx.args.input.idempotencyKey));
  return batchGet({ tables: { [ORDERS_TABLE]: { keys, consistentRead: true } } });
}

/** Prices the order from the catalogue (client prices never exist in the input) or finds the earlier order. */
export function response(ctx: Context<Args>) {
  raiseDataSourceError(ctx);
  const unprocessed = ctx.result.unprocessedKeys && ctx.result.unprocessedKeys[ORDERS_TABLE];
  if (unprocessed && unprocessed.length > 0) util.error('The catalogue read was throttled; retry the request', 'ThrottlingError');
  const found = ctx.result.data[ORDERS_TABLE] || [];
  const byKey: Record<string, Product & { orderId?: string }> = {};
  for (const item of found) {
    if (item) byKey[item.PK] = item;
  }
  const input = ctx.args.input;
  if (input.idempotencyKey) {
    const remembered = byKey[idempotencyKey(ctx.stash.owner, input.idempotencyKey).PK];
    if (remembered) {
      ctx.stash.existingOrderId = remembered.orderId;
      return null;
    }
  }

  const problems: Problem[] = [];
  const lines: OrderLine[] = [];
  const currencies: string[] = [];
  let total = 0;
  input.items.forEach((item, index) => {
    const product = byKey[productKey(item.sku).PK];
    if (!product) {
      problems.push({ field: `input.items[${index}].sku`, rule: `names no product (${item.sku})` });
      return;
    }
    if (product.stock < item.quantity) {
      problems.push({ field: `input.items[${index}].quantity`, rule: `exceeds the ${product.stock} in stock` });
    }
    if (currencies.indexOf(product.currency) < 0) currencies.push(product.currency);
    lines.push({ sku: product.sku, name: product.name, quantity: item.quantity, unitPrice: product.price });
    total = total + product.price * item.quantity;
  });
  if (currencies.length > 1) problems.push({ field: 'input.items', rule: `must all be priced in one currency (found ${currencies.join(', ')})` });
  if (total > MAX_TOTAL) problems.push({ field: 'input.items', rule: `total must not exceed ${MAX_TOTAL} minor units` });
  rejectProblems(problems);

  ctx.stash.order = {
    id: ctx.stash.orderId,
    owner: ctx.stash.owner,
    items: lines,
    total,
    currency: currencies[0],
    status: 'PENDING',
    createdAt: ctx.stash.now,
    updatedAt: ctx.stash.now,
  };
  return null;
}
