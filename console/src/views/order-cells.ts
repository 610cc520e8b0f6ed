import type { Order } from '../api';
import { h } from '../dom';
import { dateTime, money } from '../format';

/** The order's id and when it was placed. */
export function orderCell(order: Order): HTMLTableCellElement {
  return h('td', {}, h('code', { class: 'id', text: order.id }), h('br'), h('small', { class: 'muted', text: dateTime(order.createdAt) }));
}

/** "2 × Stoneware mug, 1 × Green tea" with unit prices on hover. */
export function itemsCell(order: Order): HTMLTableCellElement {
  return h(
    'td',
    {},
    h(
      'ul',
      { class: 'items' },
      order.items.map((item) => h('li', { title: `${money(item.unitPrice, order.currency)} each` }, `${item.quantity} × ${item.name}`)),
    ),
  );
}

export function totalCell(order: Order): HTMLTableCellElement {
  return h('td', { class: 'num', text: money(order.total, order.currency) });
}

/** The status badge, and why it last changed when someone said. */
export function statusCell(order: Pick<Order, 'status' | 'statusReason'>): HTMLTableCellElement {
  return h(
    'td',
    { class: 'status-cell' },
    h('span', { class: `status status-${order.status.toLowerCase()}`, 'data-status': order.status, text: order.status }),
    order.statusReason ? h('small', { class: 'reason', text: order.statusReason }) : null,
  );
}
