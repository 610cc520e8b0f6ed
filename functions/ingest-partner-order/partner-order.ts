import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { ValidationError, type Problem } from '../lib/errors';
import { parseJson } from '../lib/events';

/** Most lines one order may have, as for customers' orders. */
export const MAX_ITEMS = 50;
/** Most units of one sku per line. */
export const MAX_QUANTITY = 1000;

/** A partner's order line: prices always come from the catalogue. */
export interface PartnerOrderLine {
  readonly sku: string;
  readonly quantity: number;
}

/** What the partner sent (`POST /v1/partner-orders`), as the queue message body carries it. */
export interface PartnerOrderBody {
  readonly partnerId: string;
  readonly partnerReference: string;
  readonly items: readonly PartnerOrderLine[];
}

/** A partner order and what the queue tells about it. */
export interface PartnerOrderMessage extends PartnerOrderBody {
  /** When API Gateway queued it (the message's SentTimestamp): the same on every redelivery. */
  readonly receivedAt: string;
  /** API Gateway's request id when the integration passes it as the `requestId` message attribute. */
  readonly requestId?: string;
}

const PARTNER_ID = /^[a-z0-9-]{2,64}$/;
const SKU = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
// Printable characters only: the reference becomes part of a key and of log lines.
const REFERENCE = /^[^\p{Cc}]{1,128}$/u;
const BODY_FIELDS = ['partnerId', 'partnerReference', 'items'];
const LINE_FIELDS = ['sku', 'quantity'];

/** Every problem of a partner order body, in field order, each naming the field and the rule. */
export function partnerOrderProblems(body: unknown): Problem[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [{ field: 'body', rule: 'must be a JSON object' }];
  const order = body as Record<string, unknown>;
  const problems: Problem[] = [];
  if (typeof order.partnerId !== 'string' || !PARTNER_ID.test(order.partnerId)) problems.push({ field: 'partnerId', rule: 'must be 2-64 lower-case letters, digits or dashes' });
  if (typeof order.partnerReference !== 'string' || !REFERENCE.test(order.partnerReference)) {
    problems.push({ field: 'partnerReference', rule: 'must be 1-128 characters without control characters' });
  }
  if (!Array.isArray(order.items) || order.items.length === 0 || order.items.length > MAX_ITEMS) {
    problems.push({ field: 'items', rule: `must be an array of 1 to ${MAX_ITEMS} lines` });
  } else {
    const seen = new Set<string>();
    order.items.forEach((item: unknown, index) => {
      const path = `items[${index}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.push({ field: path, rule: 'must be an object with sku and quantity' });
        return;
      }
      const line = item as Record<string, unknown>;
      if (typeof line.sku !== 'string' || !SKU.test(line.sku)) problems.push({ field: `${path}.sku`, rule: 'must be 2-32 upper-case letters, digits or dashes, starting with a letter or digit' });
      else if (seen.has(line.sku)) problems.push({ field: `${path}.sku`, rule: 'must appear only once per order' });
      else seen.add(line.sku);
      if (typeof line.quantity !== 'number' || !Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
        problems.push({ field: `${path}.quantity`, rule: `must be an integer from 1 to ${MAX_QUANTITY}` });
      }
      for (const field of Object.keys(line).filter((name) => !LINE_FIELDS.includes(name))) problems.push({ field: `${path}.${field}`, rule: 'is not a field of an order line' });
    });
  }
  for (const field of Object.keys(order).filter((name) => !BODY_FIELDS.includes(name))) problems.push({ field, rule: 'is not a field of a partner order' });
  return problems;
}

/**
 * The partner order in a queued message, validated again (the API's request model is the first check; the queue
 * may also be written to by other means). An invalid one is a {@link ValidationError}: a permanent failure.
 */
export function parsePartnerOrderMessage(record: SQSRecord): PartnerOrderMessage {
  const body = parseJson(record.body, `Partner order message ${record.messageId}`, 'body');
  const problems = partnerOrderProblems(body);
  if (problems.length > 0) throw new ValidationError(`Partner order message ${record.messageId}`, problems);
  const order = body as PartnerOrderBody;
  const sent = Number(record.attributes.SentTimestamp);
  return {
    partnerId: order.partnerId,
    partnerReference: order.partnerReference,
    items: order.items.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    receivedAt: new Date(Number.isFinite(sent) && sent > 0 ? sent : Date.now()).toISOString(),
    requestId: record.messageAttributes?.requestId?.stringValue,
  };
}

/**
 * The order id of a partner's reference: `PO-` and 128 bits of SHA-256 over partner and reference. Deterministic,
 * so every delivery of the same partner order names the same order, and the put-if-absent writes it once.
 */
export function partnerOrderId(partnerId: string, partnerReference: string): string {
  return `PO-${createHash('sha256').update(`${partnerId}\u0000${partnerReference}`).digest('hex').slice(0, 32)}`;
}

/** The owner of a partner's orders. */
export function partnerOwner(partnerId: string): string {
  return `partner:${partnerId}`;
}
