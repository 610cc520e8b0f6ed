import { CANCELLABLE, errorMessage, type Order, type OrdersApi, type OrderUpdate } from '../api';
import { alertIn, announce, busy, byId, h } from '../dom';
import { itemsCell, orderCell, statusCell, totalCell } from './order-cells';

/** The caller's orders, newest first; status changes arrive over the subscription and redraw one row. */
export function myOrdersView(options: { api: OrdersApi }) {
  const { api } = options;
  const body = byId('my-orders-body');
  const table = byId('my-orders-table');
  const empty = byId('my-orders-empty');
  const error = byId('my-orders-error');
  const orders = new Map<string, Order>();

  const cancel = (order: Order, button: HTMLButtonElement) => {
    alertIn(error, undefined);
    void busy(button, () => api.cancelOrder(order.id, 'Cancelled in the web console'))
      .then((cancelled) => update(cancelled))
      .catch((failure: unknown) => alertIn(error, errorMessage(failure)));
  };

  const row = (order: Order) => {
    const actions = h('td', { class: 'row-actions' });
    if (CANCELLABLE.includes(order.status)) {
      const button = h('button', { type: 'button', class: 'danger small', text: 'Cancel', 'aria-label': `Cancel order ${order.id}` });
      button.addEventListener('click', () => cancel(order, button));
      actions.append(button);
    }
    return h('tr', { 'data-order-id': order.id, 'data-status': order.status }, orderCell(order), itemsCell(order), totalCell(order), statusCell(order), actions);
  };

  const draw = () => {
    const newestFirst = [...orders.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    body.replaceChildren(...newestFirst.map(row));
    table.hidden = orders.size === 0;
    empty.hidden = orders.size > 0;
  };

  /** Applies a change to a known order; an unknown one (placed in another tab) reloads the list. */
  const update = (change: OrderUpdate | Order) => {
    const known = orders.get(change.id);
    if (!known) {
      void view.load();
      return;
    }
    // The answer to this page's own cancel and the subscription's copy of it arrive both; the second changes nothing.
    if (known.status === change.status && (change.statusReason === undefined || change.statusReason === known.statusReason)) return;
    const order: Order = {
      ...known,
      status: change.status,
      statusReason: change.statusReason === undefined ? known.statusReason : change.statusReason,
      updatedAt: change.updatedAt ?? known.updatedAt,
    };
    orders.set(order.id, order);
    const replaced = body.querySelector(`tr[data-order-id="${CSS.escape(order.id)}"]`);
    if (replaced) replaced.replaceWith(row(order));
    else draw();
    announce(`Order ${order.id} is now ${order.status}`);
  };

  const view = {
    async load(): Promise<void> {
      try {
        const list = await api.listMyOrders();
        orders.clear();
        for (const order of list) orders.set(order.id, order);
        draw();
      } catch (failure) {
        alertIn(error, errorMessage(failure));
      }
    },
    /** A new order from this page. */
    add(order: Order): void {
      orders.set(order.id, order);
      draw();
    },
    update,
    show(visible: boolean): void {
      byId('my-orders').hidden = !visible;
      if (!visible) {
        orders.clear();
        draw();
        alertIn(error, undefined);
      }
    },
  };
  return view;
}
