import { OrdersApi, onConnectionState } from './api';
import { loadConfig } from './config';
import { alertIn, announce, byId } from './dom';
import { Session, type SignedInUser } from './session';
import { allOrdersView } from './views/all-orders';
import { catalogueView } from './views/catalogue';
import { myOrdersView } from './views/my-orders';
import { productEditorView } from './views/product-editor';
import { signInView } from './views/sign-in';

async function main(): Promise<void> {
  const config = await loadConfig();
  const session = new Session(config);
  const api = new OrdersApi(config, session);

  const myOrders = myOrdersView({ api });
  const allOrders = allOrdersView({ api });
  const editor = productEditorView({ api, saved: () => void catalogue.load(true) });
  const catalogue = catalogueView({ api, placed: (order) => myOrders.add(order), edit: (product) => editor.edit(product) });
  const signIn = signInView({
    demoUsers: config.demoUsers ?? [],
    signIn: async (email, password) => enter(await session.signIn(email, password)),
  });

  const live = byId('live');
  let subscribed = false;
  const showLive = (state: 'off' | 'connecting' | 'on' | 'interrupted' | 'failed', text: string = state) => {
    live.dataset.state = state;
    byId('live-state').textContent = text;
  };
  onConnectionState((state) => {
    if (state === 'Connected') {
      if (subscribed) showLive('on');
    } else if (state === 'Disconnected') {
      subscribed = false;
      showLive('off');
    } else if (state.startsWith('Connecting')) {
      showLive('connecting', 'connecting…');
    } else {
      subscribed = false;
      showLive('interrupted', 'interrupted, reconnecting…');
    }
  });

  let unsubscribe: (() => void) | undefined;

  async function enter(user: SignedInUser): Promise<void> {
    signIn.show(false);
    byId('user-email').textContent = user.email;
    byId('user-groups').textContent = user.groups.length > 0 ? `(${user.groups.join(', ')})` : '';
    byId('account').hidden = false;
    catalogue.show(true);
    myOrders.show(true);
    editor.show(user.isAdmin);
    allOrders.show(user.isAdmin);
    unsubscribe = api.onOrderUpdated({
      next: (update) => {
        // An admin hears about every order; only their own belong in "My orders".
        if (update.owner === user.sub) myOrders.update(update);
        if (user.isAdmin) allOrders.changed();
      },
      ready: () => {
        subscribed = true;
        showLive('on');
      },
      failed: (message) => showLive('failed', `failed: ${message}`),
    });
    await Promise.all([catalogue.load(user.isAdmin), myOrders.load(), user.isAdmin ? allOrders.load() : undefined]);
    announce(`Signed in as ${user.email}`);
  }

  function leave(): void {
    unsubscribe?.();
    unsubscribe = undefined;
    subscribed = false;
    showLive('off');
    session.signOut();
    byId('account').hidden = true;
    catalogue.show(false);
    myOrders.show(false);
    editor.show(false);
    allOrders.show(false);
    signIn.show(true);
    announce('Signed out');
  }

  byId('sign-out').addEventListener('click', leave);

  const user = await session.current();
  if (user) await enter(user);
  else signIn.show(true);
}

main().catch((error: unknown) => alertIn(byId('boot-error'), `The console could not start: ${error instanceof Error ? error.message : String(error)}`));
