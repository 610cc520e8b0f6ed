/** EventBridge sources, one per producing component. Kept apart from the schemas so resolvers can import it cheaply. */
export const SOURCES = {
  api: 'orders.api',
  fulfilment: 'orders.fulfilment',
  partners: 'orders.partners',
  media: 'catalog.media',
} as const;
