// The GraphQL documents of the e2e tests, written as an app would write them against schema.graphql.

/** An order as every document here selects it. */
export interface Order {
  id: string;
  owner: string;
  items: { sku: string; name: string; quantity: number; unitPrice: number }[];
  total: number;
  currency: string;
  status: string;
  statusReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A catalogue entry. */
export interface Product {
  sku: string;
  name: string;
  description: string | null;
  price: number;
  currency: string;
  stock: number;
}

// Mutations feeding onOrderUpdated select `owner` (and everything subscribers read): AppSync filters and shapes
// subscription messages from the fields the mutation returned.
const ORDER = 'id owner items { sku name quantity unitPrice } total currency status statusReason createdAt updatedAt';

export const LIST_PRODUCTS = `query ListProducts { listProducts { items { sku name description price currency stock } nextToken } }`;

export const CREATE_ORDER = `mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ${ORDER} } }`;

export const CANCEL_ORDER = `mutation CancelOrder($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { ${ORDER} } }`;

export const GET_ORDER = `query GetOrder($id: ID!) { getOrder(id: $id) { ${ORDER} } }`;

export const LIST_MY_ORDERS = `query ListMyOrders($status: OrderStatus) { listMyOrders(status: $status) { items { ${ORDER} } nextToken } }`;

export const LIST_ORDERS = `query ListOrders($status: OrderStatus!) { listOrders(status: $status, limit: 100) { items { ${ORDER} } nextToken } }`;

export const PUBLISH_ORDER_UPDATE = `mutation PublishOrderUpdate($input: OrderUpdateInput!) { publishOrderUpdate(input: $input) { ${ORDER} } }`;

export const ON_ORDER_UPDATED = `subscription OnOrderUpdated($id: ID) { onOrderUpdated(id: $id) { ${ORDER} } }`;

/** The answer of an AppSync resolver error, as AppSync shapes it (locations are Amplify's reprint of the query). */
export function resolverError(path: string, errorType: string, message: string, errorInfo: unknown = null) {
  return { path: [path], data: null, errorType, errorInfo, locations: expect.any(Array), message };
}
