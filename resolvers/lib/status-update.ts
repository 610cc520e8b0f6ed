import { util } from '@aws-appsync/utils';
import { orderKey, orderStatusIndexKeys } from './keys';

/** The UpdateItem that moves an order to `status`, only while it is in one of `from` and belongs to `owner`. */
export function statusUpdateRequest(order: { id: string; owner: string }, status: string, from: string[], reason: string | null, now: string) {
  const indexKeys = orderStatusIndexKeys(order.owner, status);
  const values: Record<string, unknown> = { ':status': status, ':now': now, ':GSI2PK': indexKeys.GSI2PK, ':GSI3PK': indexKeys.GSI3PK };
  let expression = 'SET #status = :status, #updatedAt = :now, #GSI2PK = :GSI2PK, #GSI3PK = :GSI3PK';
  if (reason) {
    values[':reason'] = reason;
    expression = `${expression}, #statusReason = :reason`;
  } else {
    expression = `${expression} REMOVE #statusReason`;
  }
  const conditionValues: Record<string, unknown> = { ':owner': order.owner };
  const allowed: string[] = [];
  from.forEach((previous, index) => {
    conditionValues[`:from${index}`] = previous;
    allowed.push(`:from${index}`);
  });
  return {
    operation: 'UpdateItem' as const,
    key: util.dynamodb.toMapValues(orderKey(order.id)),
    update: {
      expression,
      expressionNames: { '#status': 'status', '#updatedAt': 'updatedAt', '#GSI2PK': 'GSI2PK', '#GSI3PK': 'GSI3PK', '#statusReason': 'statusReason' },
      expressionValues: util.dynamodb.toMapValues(values),
    },
    condition: {
      expression: `#owner = :owner AND #status IN (${allowed.join(', ')})`,
      expressionNames: { '#owner': 'owner', '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues(conditionValues),
    },
  };
}
