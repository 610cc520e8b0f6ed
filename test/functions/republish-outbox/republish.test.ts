import '../support/environment';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { newEvent } from '../../../functions/lib/events';
import { outboxItem } from '../../../functions/lib/outbox';
import { handler } from '../../../functions/republish-outbox/handler';
import { republishOutbox } from '../../../functions/republish-outbox/republish';
import { exampleDetail } from '../factories/eventbridge';
import { lambdaContext } from '../factories/lambda';
import { FakeTable } from '../fakes/table';

const NOW = new Date('2026-11-28T10:10:00.000Z');

/** An outbox item for order `id`, written `ageSeconds` before NOW. */
function pending(id: string, ageSeconds: number) {
  const occurredAt = new Date(NOW.getTime() - ageSeconds * 1000).toISOString();
  return outboxItem(id, newEvent('OrderCreated', exampleDetail('OrderCreated', { detail: { eventId: `OrderCreated:${id}`, correlationId: id, occurredAt }, data: { orderId: id, createdAt: occurredAt } })));
}

function outboxKeys(table: FakeTable): string[] {
  return [...table.items.values()].filter((item) => item.GSI4PK === 'OUTBOX').map((item) => String(item.PK));
}

describe('republishOutbox', () => {
  const eventBridge = mockClient(EventBridgeClient);
  const events = new EventBridgeClient({});
  beforeEach(() => eventBridge.reset());

  function deps(table: FakeTable) {
    return { table: table.client(), events, tableName: table.tableName, busName: 'orders-test-bus', now: () => NOW };
  }

  it('publishes events older than a minute with their original ids and deletes them; younger ones wait', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'eb' })) }));
    const table = new FakeTable().seed(pending('A1', 300), pending('A2', 61), pending('YOUNG', 30));
    await expect(republishOutbox(deps(table))).resolves.toEqual({ found: 2, published: 2, failed: 0, alreadyDeleted: 0, quarantined: 0, truncated: false });
    const entries = eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
    expect(entries.map((entry) => [entry.Source, entry.DetailType, JSON.parse(entry.Detail as string).eventId])).toEqual([
      ['orders.api', 'OrderCreated', 'OrderCreated:A1'],
      ['orders.api', 'OrderCreated', 'OrderCreated:A2'],
    ]);
    expect(outboxKeys(table)).toEqual(['ORDER#YOUNG']);
  });

  it('keeps every item whose entry PutEvents refused, and deletes only the accepted ones', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'eb-1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }, { EventId: 'eb-3' }],
    });
    const table = new FakeTable().seed(pending('B1', 400), pending('B2', 300), pending('B3', 200));
    await expect(republishOutbox(deps(table))).resolves.toMatchObject({ found: 3, published: 2, failed: 1 });
    expect(outboxKeys(table)).toEqual(['ORDER#B2']);
    expect(table.get('ORDER#B2', 'EVENT#OrderCreated:B2')).toEqual(pending('B2', 300));
  });

  it('pages through the index, bounded by maxItems, and counts items the mutation deleted first', async () => {
    const table = new FakeTable().seed(...Array.from({ length: 5 }, (_, index) => pending(`C${index}`, 600 - index)));
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      // The resolver's own clean-up removes C0 while the sweep is publishing it.
      table.items.delete('ORDER#C0\u0000EVENT#OrderCreated:C0');
      return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'eb' })) };
    });
    const result = await republishOutbox(deps(table), { maxItems: 4 });
    expect(result).toEqual({ found: 4, published: 4, failed: 0, alreadyDeleted: 1, quarantined: 0, truncated: true });
    expect(outboxKeys(table)).toEqual(['ORDER#C4']);
  });

  it('takes an event that breaks its contract out of the index, keeping it with the reason', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'eb' })) }));
    const broken = pending('D1', 120);
    broken.detail = { ...broken.detail, data: { ...(broken.detail.data as object), total: 'lots' } };
    const table = new FakeTable().seed(broken, pending('D2', 120));
    await expect(republishOutbox(deps(table))).resolves.toMatchObject({ found: 2, published: 1, quarantined: 1 });
    const kept = table.get('ORDER#D1', 'EVENT#OrderCreated:D1');
    expect(kept).toMatchObject({ quarantineReason: 'OrderCreated event is invalid: /data/total must be integer', quarantinedAt: NOW.toISOString() });
    expect(kept).not.toHaveProperty('GSI4PK');
    expect(outboxKeys(table)).toEqual([]);
  });
});

describe('republish-outbox handler', () => {
  const documentClient = mockClient(DynamoDBDocumentClient);
  const eventBridge = mockClient(EventBridgeClient);

  it('sweeps on a scheduler invocation and returns the counts', async () => {
    documentClient.reset();
    eventBridge.reset();
    const table = new FakeTable('orders-test').seed(pending('E1', 3600 * 24 * 365));
    table.serve(documentClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb' }] });
    await expect(handler({ source: 'aws.scheduler' }, lambdaContext('orders-test-republish-outbox'))).resolves.toMatchObject({ found: 1, published: 1 });
    expect(eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries?.[0].EventBusName).toBe('orders-test-bus');
  });
});
