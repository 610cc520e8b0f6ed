import { errorMessage, type Order, type OrdersApi, type Product } from '../api';
import { alertIn, announce, busy, byId, h } from '../dom';
import { money } from '../format';

/** 32 random hex digits: getRandomValues, unlike randomUUID, works on a page that is not a secure context too. */
function idempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The products table; its quantity fields make the order form. Admins get an Edit button per product. */
export function catalogueView(options: { api: OrdersApi; placed(order: Order): void; edit(product: Product): void }) {
  const { api } = options;
  const form = byId<HTMLFormElement>('order-form');
  const body = byId('products-body');
  const total = byId<HTMLOutputElement>('order-total');
  const error = byId('order-error');
  const submit = byId<HTMLButtonElement>('place-order');
  let products: Product[] = [];
  let isAdmin = false;
  // A retry of the same lines reuses its key, so an order the server wrote before a lost answer is not placed twice.
  let pending: { lines: string; key: string } | undefined;

  const quantities = () =>
    products
      .map((product) => ({ product, quantity: Number(form.querySelector<HTMLInputElement>(`input[data-sku="${CSS.escape(product.sku)}"]`)?.value || 0) }))
      .filter(({ quantity }) => quantity !== 0);

  const updateTotal = () => {
    const chosen = quantities();
    const currencies = new Set(chosen.map(({ product }) => product.currency));
    if (chosen.length === 0) total.value = '—';
    else if (currencies.size > 1) total.value = 'several currencies';
    else total.value = money(chosen.reduce((sum, { product, quantity }) => sum + product.price * quantity, 0), chosen[0]?.product.currency ?? 'EUR');
  };

  const row = (product: Product) =>
    h(
      'tr',
      { 'data-sku': product.sku },
      h('td', {}, h('strong', { text: product.name }), product.description ? h('small', { class: 'muted block', text: product.description }) : null),
      h('td', {}, h('code', { text: product.sku })),
      h('td', { class: 'num', text: money(product.price, product.currency) }),
      h('td', { class: 'num', text: product.stock }),
      h(
        'td',
        { class: 'quantity' },
        h('label', { class: 'visually-hidden', for: `quantity-${product.sku}`, text: `Quantity of ${product.name}` }),
        h('input', { id: `quantity-${product.sku}`, type: 'number', inputmode: 'numeric', min: 0, step: 1, value: 0, 'data-sku': product.sku, oninput: updateTotal }),
        isAdmin ? h('button', { type: 'button', class: 'secondary small', text: 'Edit', 'aria-label': `Edit ${product.name}`, onclick: () => options.edit(product) }) : null,
      ),
    );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    alertIn(error, undefined);
    // Nothing is checked here beyond reading the fields: the API's own rules answer, naming the field.
    const items = quantities().map(({ product, quantity }) => ({ sku: product.sku, quantity }));
    const lines = JSON.stringify(items);
    if (pending?.lines !== lines) pending = { lines, key: idempotencyKey() };
    const key = pending.key;
    void busy(submit, () => api.createOrder(items, key))
      .then((order) => {
        pending = undefined;
        form.reset();
        updateTotal();
        announce(`Order ${order.id} placed: ${order.status}`);
        options.placed(order);
      })
      .catch((failure: unknown) => alertIn(error, errorMessage(failure)));
  });

  return {
    /** Loads the catalogue from the API and draws it. */
    async load(admin: boolean): Promise<void> {
      isAdmin = admin;
      try {
        products = await api.listProducts();
        body.replaceChildren(...products.map(row));
        updateTotal();
      } catch (failure) {
        alertIn(error, errorMessage(failure));
      }
    },
    show(visible: boolean): void {
      byId('catalogue').hidden = !visible;
      if (!visible) {
        products = [];
        body.replaceChildren();
        alertIn(error, undefined);
      }
    },
  };
}
