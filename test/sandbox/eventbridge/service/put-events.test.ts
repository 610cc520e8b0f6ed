import {
  DescribeEventBusCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { EVENTBRIDGE_PUBLISHER, type EventPublisher } from '../../../../sandbox/services/capabilities';
import { EVENTBRIDGE_INSPECT, type EventBridgeInspector } from '../../../../sandbox/services/eventbridge';
import { ACCOUNT, BUS, BUS_ARN, REGION, startEventBridgeSandbox, statusChanged, tempDir, writePlatform } from './fixture';

let env: Awaited<ReturnType<typeof startEventBridgeSandbox>>;
const dirs: { cleanup: () => void }[] = [];

beforeAll(async () => {
  const out = tempDir('eb-put-out-');
  const data = tempDir('eb-put-data-');
  dirs.push(out, data);
  env = await startEventBridgeSandbox(writePlatform(out.path), data.path);
});

afterAll(async () => {
  await env.stop();
  for (const dir of dirs) dir.cleanup();
});

describe('PutEvents through the SDK against the endpoint', () => {
  it('accepts entries, answers event ids and builds the event as EventBridge does', async () => {
    const time = new Date('2024-05-01T12:34:56.789Z');
    const answer = await env.client.send(
      new PutEventsCommand({ Entries: [{ ...statusChanged('o-1', 'PACKED'), Time: time, Resources: ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders'] }] }),
    );
    expect(answer.FailedEntryCount).toBe(0);
    const eventId = answer.Entries?.[0]?.EventId as string;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    const event = env.inspect.events(BUS).find((candidate) => candidate.id === eventId);
    expect(event).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'OrderStatusChanged',
      source: 'orders.service',
      account: ACCOUNT,
      time: '2024-05-01T12:34:56Z',
      region: REGION,
      resources: ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders'],
      detail: { eventId: 'OrderStatusChanged:o-1:PACKED', eventVersion: 1, data: { orderId: 'o-1', status: 'PACKED' } },
    });
    expect(Object.keys(event as object)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  });

  it('accepts the bus by ARN and defaults to the default bus', async () => {
    const answer = await env.client.send(
      new PutEventsCommand({
        Entries: [
          { ...statusChanged('o-2', 'PACKED'), EventBusName: BUS_ARN },
          { Source: 'ops.manual', DetailType: 'Note', Detail: '{"text":"hello"}' },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(0);
    expect(env.inspect.events(BUS_ARN).map((event) => event.id)).toContain(answer.Entries?.[0]?.EventId);
    expect(env.inspect.events('default').map((event) => event.id)).toContain(answer.Entries?.[1]?.EventId);
  });

  it('fails bad entries one by one with the codes AWS uses, and answers the others', async () => {
    const answer = await env.client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: BUS, DetailType: 'X', Detail: '{}' },
          { EventBusName: BUS, Source: 'a', Detail: '{}' },
          { EventBusName: BUS, Source: 'a', DetailType: 'X' },
          { EventBusName: BUS, Source: 'a', DetailType: 'X', Detail: '{not json' },
          { EventBusName: BUS, Source: 'a', DetailType: 'X', Detail: '[1,2]' },
          { EventBusName: 'nope', Source: 'a', DetailType: 'X', Detail: '{}' },
          { EventBusName: BUS, Source: 'a', DetailType: 'X', Detail: '{}' },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(6);
    expect(answer.Entries?.slice(0, 6)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
    ]);
    expect(answer.Entries?.[6]?.EventId).toBeDefined();
  });

  it('refuses more than 10 entries and more than 256 KB as a whole', async () => {
    const eleven = Array.from({ length: 11 }, (_, index) => statusChanged(`o-${index}`, 'PACKED'));
    await expect(env.client.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 10'),
    });
    const big = { ...statusChanged('o-big', 'PACKED'), Detail: JSON.stringify({ blob: 'x'.repeat(256 * 1024) }) };
    await expect(env.client.send(new PutEventsCommand({ Entries: [big] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('describes buses, rules and targets', async () => {
    expect(await env.client.send(new DescribeEventBusCommand({ Name: BUS }))).toMatchObject({ Name: BUS, Arn: BUS_ARN });
    await expect(env.client.send(new DescribeEventBusCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const rules = await env.client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: 'order-' }));
    expect(rules.Rules?.map((rule) => [rule.Name, rule.State])).toEqual([
      ['order-completed', 'ENABLED'],
      ['order-status-to-appsync', 'ENABLED'],
    ]);
    const targets = await env.client.send(new ListTargetsByRuleCommand({ EventBusName: BUS, Rule: 'order-status-to-appsync' }));
    expect(targets.Targets?.[0]).toMatchObject({
      Id: 'publish-order-update',
      AppSyncParameters: { GraphQLOperation: expect.stringContaining('publishOrderUpdate') },
      RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 },
    });
  });
});

describe('fault injection', () => {
  it('fails the next PutEvents calls as a whole, then works again', async () => {
    // The SDK retries a 500 twice by itself: three injected failures exhaust one SDK call.
    env.inspect.failNextPutEvents(4);
    await expect(env.client.send(new PutEventsCommand({ Entries: [statusChanged('o-f1', 'PACKED')] }))).rejects.toMatchObject({
      name: 'InternalException',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    const publisher = env.sandbox.registry.require<EventPublisher>(EVENTBRIDGE_PUBLISHER);
    await expect(publisher.putEvents([statusChanged('o-f2', 'PACKED')])).rejects.toMatchObject({ name: 'InternalException' });
    const answer = await publisher.putEvents([statusChanged('o-f3', 'PACKED')]);
    expect(answer.FailedEntryCount).toBe(0);
    const ids = env.inspect.events(BUS).map((event) => (event.detail.data as { orderId?: string } | undefined)?.orderId);
    expect(ids).toContain('o-f3');
    expect(ids).not.toContain('o-f1');
    expect(ids).not.toContain('o-f2');
  });

  it('can fail every entry instead, with a chosen code', async () => {
    env.inspect.failNextPutEvents(1, { scope: 'entries', code: 'ThrottlingException', message: 'Rate exceeded' });
    const answer = await env.client.send(new PutEventsCommand({ Entries: [statusChanged('o-f4', 'PACKED'), statusChanged('o-f5', 'PACKED')] }));
    expect(answer).toMatchObject({ FailedEntryCount: 2, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }, { ErrorCode: 'ThrottlingException' }] });
  });

  it('is reachable through the registry for end-to-end tests', () => {
    expect(env.sandbox.registry.require<EventBridgeInspector>(EVENTBRIDGE_INSPECT)).toBe(env.inspect);
  });
});
