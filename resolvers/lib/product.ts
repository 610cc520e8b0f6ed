import { checkText, isIntegerBetween, matchesWhole, type Problem } from './validation';

/** A product as clients send it to upsertProduct. */
export type ProductInput = { sku: string; name: string; description?: string | null; price: number; currency: string; stock: number };

/** Adds a problem unless sku is 2-32 upper-case letters, digits or dashes. */
export function checkSku(problems: Problem[], field: string, sku: unknown): void {
  if (!matchesWhole('[A-Z0-9][A-Z0-9-]{1,31}', sku)) {
    problems.push({ field, rule: 'must be 2-32 upper-case letters, digits or dashes, starting with a letter or digit' });
  }
}

/** Every problem of a product input, in field order. */
export function productProblems(input: ProductInput): Problem[] {
  const problems: Problem[] = [];
  checkSku(problems, 'input.sku', input.sku);
  checkText(problems, 'input.name', input.name, 1, 200);
  if (input.description !== undefined && input.description !== null) checkText(problems, 'input.description', input.description, 0, 2000);
  if (!isIntegerBetween(input.price, 1, 100000000)) {
    problems.push({ field: 'input.price', rule: 'must be a positive integer amount in minor units, at most 100000000' });
  }
  if (!matchesWhole('[A-Z]{3}', input.currency)) problems.push({ field: 'input.currency', rule: 'must be a three-letter ISO 4217 code' });
  if (!isIntegerBetween(input.stock, 0, 1000000)) problems.push({ field: 'input.stock', rule: 'must be an integer from 0 to 1000000' });
  return problems;
}
