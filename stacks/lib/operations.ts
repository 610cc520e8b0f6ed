/**
 * GraphQL operations backend callers send. The EventBridge → AppSync target selects every Order field,
 * because subscribers receive exactly what the mutation selected.
 */
export const PUBLISH_ORDER_UPDATE = `mutation PublishOrderUpdate($input: OrderUpdateInput!) {
  publishOrderUpdate(input: $input) {
    id owner status statusReason total currency createdAt updatedAt
    items { sku name quantity unitPrice }
  }
}`;
