import { checkId, isIntegerBetween, matchesWhole, type Problem } from './validation';
import { checkSku } from './product';

/** Most lines one order may have. */
export const MAX_ORDER_ITEMS = 50;
/** Most units of one sku per order. */
export const MAX_QUANTITY = 1000;
/** GraphQL Int is 32-bit, and totals are Ints. */
export const MAX_TOTAL = 2147483647;

/** A line as the client sends it. */
export type OrderItemInput = { sku: string; quantity: number };
/** createOrder's input. */
export type CreateOrderInput = { items: OrderItemInput[]; idempotencyKey?: string | null };
/** A stored order line: name and price are copied from the catalogue when the order is placed. */
export type OrderLine = { sku: string; name: string; quantity: number; unitPrice: number };
/** The order as stored and returned. */
export type Order = {
  id: string;
  owner: string;
  items: OrderLine[];
  total: number;
  currency: string;
  status: string;
  statusReason?: string | null;
  createdAt: string;
  updatedAt: string;
};

/** Every problem of a createOrder input, in field order. */
export function createOrderProblems(input: CreateOrderInput): Problem[] {
  const problems: Problem[] = [];
  const items = input.items || [];
  if (items.length === 0 || items.length > MAX_ORDER_ITEMS) {
    problems.push({ field: 'input.items', rule: `must have 1 to ${MAX_ORDER_ITEMS} items` });
  }
  const seen: Record<string, boolean> = {};
  items.forEach((item, index) => {
    const path = `input.items[${index}]`;
    checkSku(problems, `${path}.sku`, item.sku);
    if (!isIntegerBetween(item.quantity, 1, MAX_QUANTITY)) {
      problems.push({ field: `${path}.quantity`, rule: `must be a positive integer of at most ${MAX_QUANTITY}` });
    }
    if (seen[item.sku]) problems.push({ field: `${path}.sku`, rule: 'must appear only once per order' });
    seen[item.sku] = true;
  });
  if (input.idempotencyKey !== undefined && input.idempotencyKey !== null && !matchesWhole('[A-Za-z0-9_-]{8,64}', input.idempotencyKey)) {
    problems.push({ field: 'input.idempotencyKey', rule: 'must be 8-64 letters, digits, _ or -' });
  }
  return problems;
}

/** Problems of an order id argument. */
export function orderIdProblems(field: string, id: unknown): Problem[] {
  const problems: Problem[] = [];
  checkId(problems, field, id);
  return problems;
}
