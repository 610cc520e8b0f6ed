import { errorMessage, ORDER_STATUSES, type OrdersApi, type OrderStatus } from '../api';
import { alertIn, byId, h } from '../dom';
import { itemsCell, orderCell, statusCell, totalCell } from './order-cells';

/** Every order in one status (admins), oldest first, as `listOrders` returns them; reloaded when any order changes. */
export function allOrdersView(options: { api: OrdersApi }) {
  const { api } = options;
  const form = byId<HTMLFormElement>('admin-orders-form');
  const select = byId<HTMLSelectElement>('admin-status');
  const body = byId('admin-orders-body');
  const table = byId('admin-orders-table');
  const empty = byId('admin-orders-empty');
  const error = byId('admin-orders-error');
  let visible = false;
  let generation = 0;

  select.replaceChildren(...ORDER_STATUSES.map((status) => h('option', { value: status, text: status })));

  const load = async () => {
    // Answers can overtake each other when the status changes quickly; only the newest one is drawn.
    const mine = ++generation;
    alertIn(error, undefined);
    try {
      const orders = await api.listOrders(select.value as OrderStatus);
      if (mine !== generation) return;
      body.replaceChildren(
        ...orders.map((order) =>
          h('tr', { 'data-order-id': order.id, 'data-status': order.status }, orderCell(order), h('td', {}, h('code', { class: 'id', text: order.owner })), itemsCell(order), totalCell(order), statusCell(order)),
        ),
      );
      table.hidden = orders.length === 0;
      empty.hidden = orders.length > 0;
    } catch (failure) {
      if (mine === generation) alertIn(error, errorMessage(failure));
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  select.addEventListener('change', () => void load());

  return {
    load,
    /** Some order changed status: it may have entered or left the list shown. */
    changed(): void {
      if (visible) void load();
    },
    show(show: boolean): void {
      visible = show;
      byId('admin-orders').hidden = !show;
      if (!show) {
        body.replaceChildren();
        alertIn(error, undefined);
      }
    },
  };
}
