import { DescribeArchiveCommand, DescribeReplayCommand, PutEventsCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { BUS, BUS_ARN, startEventBridgeSandbox, statusChanged, tempDir, writePlatform } from './fixture';

const ARCHIVE_ARN = 'arn:aws:events:eu-west-1:111122223333:archive/orders-archive';
let env: Awaited<ReturnType<typeof startEventBridgeSandbox>>;
let outdir: string;
let dataRoot: string;
const dirs: { cleanup: () => void }[] = [];

beforeAll(async () => {
  const out = tempDir('eb-archive-out-');
  const data = tempDir('eb-archive-data-');
  dirs.push(out, data);
  outdir = writePlatform(out.path);
  dataRoot = data.path;
  env = await startEventBridgeSandbox(outdir, dataRoot);
});

afterAll(async () => {
  await env.stop();
  for (const dir of dirs) dir.cleanup();
});

const orderOf = (detail: Record<string, unknown> | undefined) => (detail?.data as { orderId?: string } | undefined)?.orderId;

describe('archives and replays', () => {
  let from: Date;
  let to: Date;

  beforeAll(async () => {
    from = new Date();
    await env.client.send(
      new PutEventsCommand({
        Entries: [statusChanged('a-1', 'COMPLETED'), { EventBusName: BUS, Source: 'billing', DetailType: 'OrderStatusChanged', Detail: '{"data":{"orderId":"a-2","status":"COMPLETED"}}' }],
      }),
    );
    await env.inspect.settled();
    to = new Date(Date.now() + 1);
  });

  it('archives the events of the bus that match the archive pattern', async () => {
    const archive = await env.client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }));
    expect(archive).toMatchObject({ ArchiveArn: ARCHIVE_ARN, EventSourceArn: BUS_ARN, State: 'ENABLED', RetentionDays: 7, EventCount: 1 });
  });

  it('re-delivers archived events to the bus rules, marked with replay-name, keeping their id', async () => {
    const original = env.inspect.events(BUS).find((event) => orderOf(event.detail) === 'a-1');
    const replay = env.inspect.replay('orders-archive', { from, to, replayName: 'first-replay' });
    expect(replay).toMatchObject({ replayName: 'first-replay', replayArn: 'arn:aws:events:eu-west-1:111122223333:replay/first-replay', eventsReplayed: 1, state: 'COMPLETED' });
    const delivery = await env.inspect.waitForDelivery((candidate) => candidate.replayName === 'first-replay' && candidate.targetId === 'loyalty');
    expect(delivery.event).toEqual({ ...original, 'replay-name': 'first-replay' });
    const invoked = env.fakes.lambda.of('award-loyalty-points').filter((event) => (event as { id?: string }).id === original?.id);
    expect(invoked).toHaveLength(2);
    expect(invoked[1]).toMatchObject({ 'replay-name': 'first-replay' });
    // A replay is not a put: the bus's event log and the archive do not grow.
    expect(env.inspect.events(BUS).filter((event) => event.id === original?.id)).toHaveLength(1);
    expect((await env.client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).EventCount).toBe(1);
  });

  it('starts and describes replays through the API, limited to the rules named', async () => {
    await env.inspect.settled();
    const before = env.inspect.deliveries().length;
    const started = await env.client.send(
      new StartReplayCommand({
        ReplayName: 'api-replay',
        EventSourceArn: ARCHIVE_ARN,
        EventStartTime: from,
        EventEndTime: to,
        Destination: { Arn: BUS_ARN, FilterArns: [`arn:aws:events:eu-west-1:111122223333:rule/${BUS}/order-status-to-appsync`] },
      }),
    );
    expect(started).toMatchObject({ ReplayArn: 'arn:aws:events:eu-west-1:111122223333:replay/api-replay', State: 'STARTING' });
    await env.inspect.settled();
    const replayed = env.inspect.deliveries().slice(before);
    expect(replayed.map((delivery) => [delivery.ruleName, delivery.replayName])).toEqual([['order-status-to-appsync', 'api-replay']]);
    const described = await env.client.send(new DescribeReplayCommand({ ReplayName: 'api-replay' }));
    expect(described).toMatchObject({ State: 'COMPLETED', EventSourceArn: ARCHIVE_ARN, Destination: { Arn: BUS_ARN } });
    expect(described.EventStartTime?.getTime()).toBe(Math.floor(from.getTime()));
    await expect(
      env.client.send(new StartReplayCommand({ ReplayName: 'api-replay', EventSourceArn: ARCHIVE_ARN, EventStartTime: from, EventEndTime: to, Destination: { Arn: BUS_ARN } })),
    ).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  });

  it('replays nothing outside the time window', () => {
    expect(env.inspect.replay('orders-archive', { from: new Date(0), to: new Date(from.getTime() - 1) }).eventsReplayed).toBe(0);
  });

  it('keeps the archive across restarts', async () => {
    await env.stop();
    env = await startEventBridgeSandbox(outdir, dataRoot);
    expect(env.inspect.replay('orders-archive', { from, to, replayName: 'after-restart' }).eventsReplayed).toBe(1);
    await env.inspect.waitForDelivery((candidate) => candidate.replayName === 'after-restart' && candidate.targetId === 'loyalty');
  });
});
