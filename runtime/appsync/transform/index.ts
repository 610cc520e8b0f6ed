import { toDynamoDBExpressionString } from './dynamodb-expression';
import { toElasticsearchQueryDSL } from './opensearch';
import { toSubscriptionFilter } from './subscription-filter';

/** The `util.transform` object. Filter and condition expressions render identically in AppSync. */
export function createTransformUtils() {
  return {
    toDynamoDBFilterExpression: toDynamoDBExpressionString,
    toDynamoDBConditionExpression: toDynamoDBExpressionString,
    toElasticsearchQueryDSL,
    toSubscriptionFilter,
  };
}

export { renderDynamoDBExpression } from './dynamodb-expression';
export type { DynamoDBExpression } from './dynamodb-expression';
export { toSubscriptionFilter, toElasticsearchQueryDSL };
