import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../events/types';
import { cancellationCodes } from '../lib/idempotency';
import { loyaltyAwardedKey, loyaltyKey } from '../lib/keys';

/** One point per this many minor units of the order total (one per euro for a two-decimal currency). */
export const MINOR_UNITS_PER_POINT = 100;

/** Points an order total earns. */
export function pointsFor(total: number): number {
  return Math.floor(total / MINOR_UNITS_PER_POINT);
}

/** What {@link awardLoyaltyPoints} needs. */
export interface AwardLoyaltyPointsDeps {
  readonly client: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now?: () => Date;
}

/** What happened: points added now, or the order had already earned them. */
export interface AwardResult {
  readonly outcome: 'awarded' | 'duplicate';
  readonly orderId: string;
  readonly points: number;
}

/**
 * Adds an order's points to its customer's balance exactly once: one transaction puts the order's
 * `LOYALTY_AWARDED` marker if absent and adds the points. A redelivered OrderCompleted (EventBridge delivers at
 * least once, and a re-published event keeps its id) fails the marker's condition, so nothing is added and the
 * call succeeds.
 */
export async function awardLoyaltyPoints(event: DomainEvent<'OrderCompleted'>, deps: AwardLoyaltyPointsDeps): Promise<AwardResult> {
  const { orderId, owner, total } = event.detail.data;
  const points = pointsFor(total);
  const now = (deps.now ?? (() => new Date()))().toISOString();
  try {
    await deps.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.tableName,
              Item: { ...loyaltyAwardedKey(orderId), entityType: 'LOYALTY_AWARD', owner, points, eventId: event.detail.eventId, awardedAt: now },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Update: {
              TableName: deps.tableName,
              Key: loyaltyKey(owner),
              UpdateExpression: 'ADD #points :points SET #updatedAt = :now, #entityType = :entityType, #owner = :owner',
              ExpressionAttributeNames: { '#points': 'points', '#updatedAt': 'updatedAt', '#entityType': 'entityType', '#owner': 'owner' },
              ExpressionAttributeValues: { ':points': points, ':now': now, ':entityType': 'LOYALTY', ':owner': owner },
            },
          },
        ],
      }),
    );
    return { outcome: 'awarded', orderId, points };
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return { outcome: 'duplicate', orderId, points };
    throw error;
  }
}
