/** Statuses from which a customer may still cancel. */
export const CANCELLABLE_STATUSES = ['PENDING', 'RESERVED'];

/**
 * The order lifecycle: for each status, the statuses an order may move to it from. A status may also be
 * set again to itself, so a redelivered update is harmless.
 */
export const PREVIOUS_STATUSES: Record<string, string[]> = {
  PENDING: [],
  RESERVED: ['PENDING'],
  PAID: ['RESERVED'],
  SHIPPED: ['PAID'],
  COMPLETED: ['SHIPPED'],
  CANCELLED: ['PENDING', 'RESERVED'],
  FAILED: ['PENDING', 'RESERVED', 'PAID'],
};

/** Statuses an order may be in for an update to `status` to apply (including `status` itself). */
export function statusesAllowedBefore(status: string): string[] {
  const previous = PREVIOUS_STATUSES[status] || [];
  return previous.concat([status]);
}
