import type { Caller, GraphqlEngine } from '../services/appsync/contracts';

/** The demo catalogue the sandbox starts with; prices in cents. */
export const DEMO_PRODUCTS = [
  { sku: 'MUG-01', name: 'Stoneware mug', description: 'Holds 350 ml of coffee', price: 1250, currency: 'EUR', stock: 120 },
  { sku: 'TEA-01', name: 'Green tea, 100 g', description: 'Sencha from Shizuoka', price: 899, currency: 'EUR', stock: 40 },
  { sku: 'KETTLE-01', name: 'Gooseneck kettle', description: '1 litre, temperature control', price: 6900, currency: 'EUR', stock: 8 },
  { sku: 'FILTER-01', name: 'Paper filters (100)', description: 'Size 02', price: 450, currency: 'EUR', stock: 300 },
] as const;

const UPSERT = `mutation Seed($input: ProductInput!) { upsertProduct(input: $input) { sku } }`;

/** Writes the demo catalogue through the API itself, as an admin would; running it again changes nothing. */
export async function seedProducts(engine: GraphqlEngine, admin: Caller): Promise<number> {
  for (const product of DEMO_PRODUCTS) {
    const response = await engine.execute({ query: UPSERT, variables: { input: product } }, admin, {});
    if (response.errors?.length) {
      throw new Error(`Seeding product ${product.sku} failed: ${response.errors.map((error) => error.message).join('; ')}`);
    }
  }
  return DEMO_PRODUCTS.length;
}
