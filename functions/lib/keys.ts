/**
 * Single-table keys the functions write, beside the ones the resolvers own (`resolvers/lib/keys.ts`, re-exported
 * here so both sides build orders and products the same way).
 *
 * | entity               | PK                           | SK                                   |
 * | loyalty balance      | CUSTOMER#<owner>             | LOYALTY                              |
 * | customer profile     | CUSTOMER#<owner>             | PROFILE                              |
 * | in-app notification  | CUSTOMER#<owner>             | NOTIFICATION#<occurredAt>#<eventId>  |
 * | loyalty award marker | ORDER#<orderId>              | LOYALTY_AWARDED                      |
 * | audit record         | AUDIT#<yyyy-mm-dd>           | <occurredAt>#<eventId>               |
 * | partner reference    | PARTNER#<partnerId>          | REFERENCE#<partnerReference>         |
 * | idempotency record   | IDEMPOTENCY#<function>       | <function>#<md5> (Powertools)        |
 * | outbox event         | see `outbox.ts`                                                     |
 */
export { orderIndexKeys, orderKey, productKey } from '../../resolvers/lib/keys';

/** A customer's loyalty balance. */
export function loyaltyKey(owner: string) {
  return { PK: `CUSTOMER#${owner}`, SK: 'LOYALTY' };
}

/** Marks an order's points as awarded; written in the same transaction as the points. */
export function loyaltyAwardedKey(orderId: string) {
  return { PK: `ORDER#${orderId}`, SK: 'LOYALTY_AWARDED' };
}

/** A customer's profile (email, name), written at sign-up by the Cognito post-confirmation trigger. */
export function profileKey(owner: string) {
  return { PK: `CUSTOMER#${owner}`, SK: 'PROFILE' };
}

/** One in-app inbox item; newest last when the partition is read in key order. */
export function notificationKey(owner: string, occurredAt: string, eventId: string) {
  return { PK: `CUSTOMER#${owner}`, SK: `NOTIFICATION#${utcTimestamp(occurredAt)}#${eventId}` };
}

/** One audit record, in a partition per UTC day. */
export function auditKey(occurredAt: string, eventId: string) {
  const timestamp = utcTimestamp(occurredAt);
  return { PK: `AUDIT#${timestamp.slice(0, 10)}`, SK: `${timestamp}#${eventId}` };
}

/** The order a partner's reference became. */
export function partnerReferenceKey(partnerId: string, partnerReference: string) {
  return { PK: `PARTNER#${partnerId}`, SK: `REFERENCE#${partnerReference}` };
}

/** An ISO 8601 timestamp in UTC (`...Z`), so keys built from events with offsets still sort by time. */
export function utcTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${iso} is not an ISO 8601 timestamp`);
  return date.toISOString();
}
