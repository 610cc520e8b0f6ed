import { errorMessage, type OrdersApi, type Product } from '../api';
import { alertIn, announce, busy, byId } from '../dom';

/** The admin's product form: `upsertProduct` creates the SKU or replaces it. */
export function productEditorView(options: { api: OrdersApi; saved(product: Product): void }) {
  const form = byId<HTMLFormElement>('product-form');
  const error = byId('product-error');
  const submit = byId<HTMLButtonElement>('save-product');
  const field = (name: string) => byId<HTMLInputElement>(`product-${name}`);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    alertIn(error, undefined);
    const description = field('description').value.trim();
    const input = {
      sku: field('sku').value.trim(),
      name: field('name').value.trim(),
      description: description === '' ? null : description,
      // Number('') is 0 and '1.5' stays 1.5: the API says what is wrong with either.
      price: Number(field('price').value),
      currency: field('currency').value.trim(),
      stock: Number(field('stock').value),
    };
    void busy(submit, () => options.api.upsertProduct(input))
      .then((product) => {
        form.reset();
        announce(`Product ${product.sku} saved`);
        options.saved(product);
      })
      .catch((failure: unknown) => alertIn(error, errorMessage(failure)));
  });
  form.addEventListener('reset', () => alertIn(error, undefined));

  return {
    /** Fills the form with a product to change it. */
    edit(product: Product): void {
      field('sku').value = product.sku;
      field('name').value = product.name;
      field('description').value = product.description ?? '';
      field('price').value = String(product.price);
      field('currency').value = product.currency;
      field('stock').value = String(product.stock);
      byId('admin-products').scrollIntoView({ block: 'nearest' });
      field('name').focus();
    },
    show(visible: boolean): void {
      byId('admin-products').hidden = !visible;
      if (!visible) form.reset();
    },
  };
}
