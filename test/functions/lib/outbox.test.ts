import { newEvent } from '../../../functions/lib/events';
import { eventOfOutboxItem, outboxIndexKeys, outboxItem, outboxKey } from '../../../functions/lib/outbox';
import { exampleDetail } from '../factories/eventbridge';

describe('outbox items', () => {
  it('sit beside their order and in the sparse GSI4 OUTBOX partition, oldest first', () => {
    const event = newEvent('OrderCancelled', exampleDetail('OrderCancelled', { detail: { eventId: 'OrderCancelled:O1', occurredAt: '2026-11-28T10:00:00.000Z' } }));
    expect(outboxKey('O1', 'OrderCancelled:O1')).toEqual({ PK: 'ORDER#O1', SK: 'EVENT#OrderCancelled:O1' });
    expect(outboxIndexKeys('2026-11-28T10:00:00.000Z', 'OrderCancelled:O1')).toEqual({ GSI4PK: 'OUTBOX', GSI4SK: '2026-11-28T10:00:00.000Z#OrderCancelled:O1' });
    const item = outboxItem('O1', event);
    expect(item).toEqual({
      PK: 'ORDER#O1',
      SK: 'EVENT#OrderCancelled:O1',
      GSI4PK: 'OUTBOX',
      GSI4SK: '2026-11-28T10:00:00.000Z#OrderCancelled:O1',
      entityType: 'OUTBOX_EVENT',
      source: 'orders.api',
      detailType: 'OrderCancelled',
      detail: event.detail,
    });
    expect(outboxItem('O1', event, 1_800_000_000).expiresAt).toBe(1_800_000_000);
    expect(eventOfOutboxItem(item)).toEqual(event);
  });
});
