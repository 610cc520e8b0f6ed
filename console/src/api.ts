import { Amplify } from 'aws-amplify';
import { CONNECTION_STATE_CHANGE, generateClient, type ConnectionState } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import type { ConsoleConfig } from './config';
import type { Session } from './session';

export type OrderStatus = 'PENDING' | 'RESERVED' | 'PAID' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

/** Every status, in lifecycle order. */
export const ORDER_STATUSES: readonly OrderStatus[] = ['PENDING', 'RESERVED', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED', 'FAILED'];

/** Statuses from which the owner may still cancel (the API enforces it; this only decides whether to offer it). */
export const CANCELLABLE: readonly OrderStatus[] = ['PENDING', 'RESERVED'];

export interface Product {
  sku: string;
  name: string;
  description: string | null;
  price: number;
  currency: string;
  stock: number;
  updatedAt: string;
}

export type ProductInput = Omit<Product, 'updatedAt'>;

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface Order {
  id: string;
  owner: string;
  items: OrderItem[];
  total: number;
  currency: string;
  status: OrderStatus;
  statusReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a status change carries: AppSync sends a subscriber only the fields the mutation selected. */
export type OrderUpdate = Pick<Order, 'id' | 'owner' | 'status'> & Partial<Pick<Order, 'statusReason' | 'updatedAt'>>;

const PRODUCT = 'sku name description price currency stock updatedAt';
const ORDER = 'id owner items { sku name quantity unitPrice } total currency status statusReason createdAt updatedAt';

const LIST_PRODUCTS = `query ListProducts($nextToken: String) { listProducts(limit: 100, nextToken: $nextToken) { items { ${PRODUCT} } nextToken } }`;
const LIST_MY_ORDERS = `query ListMyOrders { listMyOrders(limit: 50) { items { ${ORDER} } } }`;
const LIST_ORDERS = `query ListOrders($status: OrderStatus!) { listOrders(status: $status, limit: 100) { items { ${ORDER} } } }`;
const CREATE_ORDER = `mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ${ORDER} } }`;
// `owner` is selected so AppSync can match the change against each subscriber's owner filter.
const CANCEL_ORDER = `mutation CancelOrder($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { ${ORDER} } }`;
const UPSERT_PRODUCT = `mutation UpsertProduct($input: ProductInput!) { upsertProduct(input: $input) { ${PRODUCT} } }`;
const ON_ORDER_UPDATED = 'subscription OnOrderUpdated { onOrderUpdated { id owner status statusReason updatedAt } }';

/** The message of anything the API or the network threw: GraphQL errors name the field and the rule. */
export function errorMessage(error: unknown): string {
  const errors = (error as { errors?: { message?: string }[] } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map((item) => item.message ?? 'Unknown error').join('\n');
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * What the console uses of Amplify's client. The client's own type derives results from Amplify Data models,
 * which this API has none of, and tsc 5.9 gives up on it ("Excessive stack depth") when it is stored in a
 * field; plain documents with the result shapes above are all the console needs.
 */
interface GraphqlClient {
  graphql(options: { query: string; variables?: Record<string, unknown> }): unknown;
}
type LibraryOptions = NonNullable<Parameters<typeof Amplify.configure>[1]>;
type TokenProvider = NonNullable<NonNullable<LibraryOptions['Auth']>['tokenProvider']>;

/** The orders API through the Amplify v6 GraphQL client, authorized with the session's Cognito tokens. */
export class OrdersApi {
  private readonly client: GraphqlClient;

  constructor(config: ConsoleConfig, session: Session) {
    // Amplify's `userPool` mode sends the access token its token provider returns; this one reads the
    // amazon-cognito-identity-js session, so Amplify needs no Auth category of its own.
    const tokenProvider: TokenProvider = { getTokens: async () => (await session.tokens()) ?? null };
    Amplify.configure({ API: { GraphQL: { endpoint: config.graphqlUrl, region: config.region, defaultAuthMode: 'userPool' } } }, { Auth: { tokenProvider } });
    this.client = generateClient() as unknown as GraphqlClient;
  }

  async listProducts(): Promise<Product[]> {
    const products: Product[] = [];
    let nextToken: string | null = null;
    do {
      const page: { listProducts: { items: Product[]; nextToken: string | null } } = await this.request(LIST_PRODUCTS, { nextToken });
      products.push(...page.listProducts.items);
      nextToken = page.listProducts.nextToken;
    } while (nextToken);
    return products;
  }

  async listMyOrders(): Promise<Order[]> {
    return (await this.request<{ listMyOrders: { items: Order[] } }>(LIST_MY_ORDERS)).listMyOrders.items;
  }

  async listOrders(status: OrderStatus): Promise<Order[]> {
    return (await this.request<{ listOrders: { items: Order[] } }>(LIST_ORDERS, { status })).listOrders.items;
  }

  async createOrder(items: { sku: string; quantity: number }[], idempotencyKey: string): Promise<Order> {
    return (await this.request<{ createOrder: Order }>(CREATE_ORDER, { input: { items, idempotencyKey } })).createOrder;
  }

  async cancelOrder(id: string, reason?: string): Promise<Order> {
    return (await this.request<{ cancelOrder: Order }>(CANCEL_ORDER, { id, reason })).cancelOrder;
  }

  async upsertProduct(input: ProductInput): Promise<Product> {
    return (await this.request<{ upsertProduct: Product }>(UPSERT_PRODUCT, { input })).upsertProduct;
  }

  /**
   * Status changes of the caller's orders (an admin's: every order) until the returned function is called.
   * `ready` runs when AppSync acknowledged the subscription: changes before it are not delivered.
   */
  onOrderUpdated(handlers: { next(update: OrderUpdate): void; ready(): void; failed(message: string): void }): () => void {
    const stopListening = Hub.listen('api', ({ payload }) => {
      // Amplify's CONTROL_MSG.SUBSCRIPTION_ACK, which aws-amplify/api does not re-export.
      const data = payload.data as { query?: string } | undefined;
      if (payload.event === 'Subscription ack' && data?.query?.includes('onOrderUpdated')) handlers.ready();
    });
    const observable = this.client.graphql({ query: ON_ORDER_UPDATED }) as {
      subscribe(observer: { next(value: { data: { onOrderUpdated: OrderUpdate | null } }): void; error(error: unknown): void }): { unsubscribe(): void };
    };
    const subscription = observable.subscribe({
      next: ({ data }) => {
        if (data.onOrderUpdated) handlers.next(data.onOrderUpdated);
      },
      error: (error) => handlers.failed(errorMessage(error)),
    });
    return () => {
      stopListening();
      subscription.unsubscribe();
    };
  }

  private async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    // Amplify rejects with the whole result when it holds errors; errorMessage reads them.
    const result = (await this.client.graphql({ query, variables })) as { data: T };
    return result.data;
  }
}

/** Calls `listener` with each state of Amplify's real-time connection ('Connected', 'Connecting', ...). */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  return Hub.listen('api', ({ payload }) => {
    if (payload.event === CONNECTION_STATE_CHANGE) listener((payload.data as { connectionState: ConnectionState }).connectionState);
  });
}
