import { util, type Context } from '@aws-appsync/utils';
import { raiseDataSourceError } from './lib/errors';
import { requireAdmin } from './lib/identity';
import { productIndexKeys, productKey } from './lib/keys';
import { productProblems, type ProductInput } from './lib/product';
import { rejectProblems } from './lib/validation';

type Args = { input: ProductInput };

/** Creates or replaces a product; `createdAt` survives replacements. */
export function request(ctx: Context<Args>) {
  requireAdmin(ctx);
  const input = ctx.args.input;
  rejectProblems(productProblems(input));
  const now = util.time.nowISO8601();
  const values = {
    ':sku': input.sku,
    ':name': input.name.trim(),
    ':price': input.price,
    ':currency': input.currency,
    ':stock': input.stock,
    ':now': now,
    ':entityType': 'PRODUCT',
    ...indexValues(input.sku),
  } as Record<string, unknown>;
  let expression =
    'SET #sku = :sku, #name = :name, #price = :price, #currency = :currency, #stock = :stock, #updatedAt = :now, ' +
    '#createdAt = if_not_exists(#createdAt, :now), #entityType = :entityType, #GSI1PK = :GSI1PK, #GSI1SK = :GSI1SK';
  if (input.description) {
    values[':description'] = input.description;
    expression = `${expression}, #description = :description`;
  } else {
    expression = `${expression} REMOVE #description`;
  }
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues(productKey(input.sku)),
    update: {
      expression,
      expressionNames: {
        '#sku': 'sku',
        '#name': 'name',
        '#price': 'price',
        '#currency': 'currency',
        '#stock': 'stock',
        '#updatedAt': 'updatedAt',
        '#createdAt': 'createdAt',
        '#entityType': 'entityType',
        '#GSI1PK': 'GSI1PK',
        '#GSI1SK': 'GSI1SK',
        '#description': 'description',
      },
      expressionValues: util.dynamodb.toMapValues(values),
    },
  };
}

export function response(ctx: Context<Args>) {
  raiseDataSourceError(ctx);
  return ctx.result;
}

function indexValues(sku: string) {
  const keys = productIndexKeys(sku);
  return { ':GSI1PK': keys.GSI1PK, ':GSI1SK': keys.GSI1SK };
}
