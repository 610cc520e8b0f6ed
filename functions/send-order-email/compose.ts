import type { OrderItem, OrderStatus } from '../../events/types';
import type { AnyDomainEvent } from '../lib/events';

/** Events a customer gets an email about. */
export const EMAIL_EVENT_TYPES = ['OrderCreated', 'OrderCancelled', 'OrderStatusChanged', 'OrderCompleted', 'OrderFailed'] as const;
export type EmailEvent = AnyDomainEvent<(typeof EMAIL_EVENT_TYPES)[number]>;

/** One email, as plain text and as minimal HTML with the same content. */
export interface Email {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A paragraph, or a table of order lines with their total. */
type Block = string | { lines: readonly OrderItem[]; total: number; currency: string };

const STATUS_WORDS: Record<OrderStatus, string> = {
  PENDING: 'received',
  RESERVED: 'reserved: your items are set aside',
  PAID: 'paid',
  SHIPPED: 'on its way',
  COMPLETED: 'delivered',
  CANCELLED: 'cancelled',
  FAILED: 'not completed',
};

/** The email for an order event. `name` is the customer's, when their profile has one. */
export function composeEmail(event: EmailEvent, name?: string): Email {
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const order = event.detail.data.orderId;
  switch (event['detail-type']) {
    case 'OrderCreated': {
      const data = event.detail.data;
      return render(`We received your order ${order}`, [greeting, `Thank you for your order ${order}.`, { lines: data.items, total: data.total, currency: data.currency }, 'We will write again when it ships.']);
    }
    case 'OrderCancelled':
      return render(`Your order ${order} was cancelled`, [greeting, `Your order ${order} was cancelled.`, ...reason(event.detail.data.reason), 'You have not been charged for it.']);
    case 'OrderStatusChanged': {
      const data = event.detail.data;
      return render(`Your order ${order} is ${STATUS_WORDS[data.status]}`, [greeting, `Your order ${order} is ${STATUS_WORDS[data.status]}.`, ...reason(data.reason)]);
    }
    case 'OrderCompleted': {
      const data = event.detail.data;
      return render(`Your order ${order} was delivered`, [greeting, `Your order ${order} of ${formatMoney(data.total, data.currency)} was delivered. Thank you for shopping with us.`]);
    }
    case 'OrderFailed':
      return render(`We could not complete your order ${order}`, [greeting, `We could not complete your order ${order}.`, ...reason(event.detail.data.reason), 'Anything you were charged is refunded.']);
  }
}

function reason(text: string | null): string[] {
  return text ? [`Reason: ${text}`] : [];
}

/** An amount in minor units as the currency writes it, e.g. 2500 EUR → €25.00 and 2500 JPY → ¥2,500. */
export function formatMoney(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

function render(subject: string, blocks: readonly Block[]): Email {
  const text = blocks.map((block) => (typeof block === 'string' ? block : linesAsText(block))).join('\n\n');
  const body = blocks.map((block) => (typeof block === 'string' ? `<p>${escapeHtml(block)}</p>` : linesAsHtml(block))).join('\n');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${body}\n</body></html>\n`;
  return { subject, text: `${text}\n`, html };
}

function linesAsText(block: Exclude<Block, string>): string {
  const lines = block.lines.map((line) => `${line.quantity} x ${line.name} (${line.sku}) at ${formatMoney(line.unitPrice, block.currency)}`);
  return [...lines, `Total: ${formatMoney(block.total, block.currency)}`].join('\n');
}

function linesAsHtml(block: Exclude<Block, string>): string {
  const rows = block.lines.map(
    (line) => `<tr><td>${line.quantity} x</td><td>${escapeHtml(line.name)} (${escapeHtml(line.sku)})</td><td>${escapeHtml(formatMoney(line.unitPrice, block.currency))}</td></tr>`,
  );
  rows.push(`<tr><th colspan="2">Total</th><th>${escapeHtml(formatMoney(block.total, block.currency))}</th></tr>`);
  return `<table>\n${rows.join('\n')}\n</table>`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
