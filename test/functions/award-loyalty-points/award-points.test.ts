import '../support/environment';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { awardLoyaltyPoints, pointsFor } from '../../../functions/award-loyalty-points/award-points';
import { handler } from '../../../functions/award-loyalty-points/handler';
import { domainEvent, EXAMPLE_ORDER_ID, EXAMPLE_OWNER, validDomainEvent } from '../factories/eventbridge';
import { lambdaContext } from '../factories/lambda';
import { FakeTable } from '../fakes/table';

const now = () => new Date('2026-11-28T12:00:00.000Z');

describe('pointsFor', () => {
  it('gives a point per 100 minor units, rounded down', () => {
    expect([0, 99, 100, 3299, 250000].map(pointsFor)).toEqual([0, 0, 1, 32, 2500]);
  });
});

describe('awardLoyaltyPoints', () => {
  it('adds the points to the balance and marks the order, in one transaction', async () => {
    const table = new FakeTable().seed({ PK: `CUSTOMER#${EXAMPLE_OWNER}`, SK: 'LOYALTY', points: 10 });
    const result = await awardLoyaltyPoints(validDomainEvent('OrderCompleted'), { client: table.client(), tableName: table.tableName, now });
    expect(result).toEqual({ outcome: 'awarded', orderId: EXAMPLE_ORDER_ID, points: 32 });
    expect(table.get(`CUSTOMER#${EXAMPLE_OWNER}`, 'LOYALTY')).toEqual({
      PK: `CUSTOMER#${EXAMPLE_OWNER}`,
      SK: 'LOYALTY',
      points: 42,
      owner: EXAMPLE_OWNER,
      entityType: 'LOYALTY',
      updatedAt: '2026-11-28T12:00:00.000Z',
    });
    expect(table.get(`ORDER#${EXAMPLE_ORDER_ID}`, 'LOYALTY_AWARDED')).toMatchObject({ points: 32, eventId: `OrderCompleted:${EXAMPLE_ORDER_ID}` });
    expect(table.calls.map((call) => call.command)).toEqual(['TransactWriteCommand']);
  });

  it('awards a duplicate OrderCompleted once: the second delivery is a successful no-op', async () => {
    const table = new FakeTable();
    const event = validDomainEvent('OrderCompleted');
    const deps = { client: table.client(), tableName: table.tableName, now };
    const first = await awardLoyaltyPoints(event, deps);
    const second = await awardLoyaltyPoints({ ...event, id: 'redelivered' }, deps);
    expect([first.outcome, second.outcome]).toEqual(['awarded', 'duplicate']);
    expect(table.get(`CUSTOMER#${EXAMPLE_OWNER}`, 'LOYALTY')?.points).toBe(32);
  });

  it('lets other transaction failures through, to be retried', async () => {
    const table = new FakeTable().failNext('TransactWriteCommand', Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(awardLoyaltyPoints(validDomainEvent('OrderCompleted'), { client: table.client(), tableName: table.tableName })).rejects.toThrow('Rate exceeded');
  });
});

describe('award-loyalty-points handler', () => {
  const documentClient = mockClient(DynamoDBDocumentClient);
  let table: FakeTable;
  beforeEach(() => {
    documentClient.reset();
    table = new FakeTable('orders-test');
    table.serve(documentClient);
  });

  it('awards the points of an OrderCompleted from the bus', async () => {
    await expect(handler(validDomainEvent('OrderCompleted'), lambdaContext())).resolves.toMatchObject({ outcome: 'awarded', points: 32 });
    expect(table.get(`CUSTOMER#${EXAMPLE_OWNER}`, 'LOYALTY')?.points).toBe(32);
  });

  it('rejects an invalid event with the schema error and writes nothing', async () => {
    const invalid = domainEvent('OrderCompleted', { data: { total: -5 } });
    await expect(handler(invalid, lambdaContext())).rejects.toThrow('OrderCompleted event is invalid: /data/total must be >= 0');
    expect(table.calls).toHaveLength(0);
  });
});
