import { nextOccurrence, parseScheduleExpression } from '../../../../sandbox/services/eventbridge';
import { BUS, functionArn, NIGHTLY_QUEUE_ARN, SCHEDULER_DLQ_ARN, eventsStack, startEventBridgeSandbox, tempDir, writePlatform } from './fixture';

const SWEEPER_ARN = 'arn:aws:scheduler:eu-west-1:111122223333:schedule/ops/republish-outbox';
const HEARTBEAT_RULE_ARN = 'arn:aws:events:eu-west-1:111122223333:rule/heartbeat';
const dirs: { cleanup: () => void }[] = [];

afterAll(() => {
  for (const dir of dirs) dir.cleanup();
});

type Stack = ReturnType<typeof eventsStack> & { resource: Record<string, Record<string, unknown>> };

/** The fixture stack keeping only the named schedules and scheduled rules. */
function stackWith(schedules: string[], heartbeat: boolean): Stack {
  const stack = eventsStack() as Stack;
  const resources = stack.resource;
  resources.aws_scheduler_schedule = Object.fromEntries(Object.entries(resources.aws_scheduler_schedule as object).filter(([name]) => schedules.includes(name)));
  if (!heartbeat) {
    delete (resources.aws_cloudwatch_event_rule as Record<string, unknown>).heartbeat;
    delete (resources.aws_cloudwatch_event_target as Record<string, unknown>).heartbeat;
  }
  return stack;
}

async function start(stack: Stack, options: Parameters<typeof startEventBridgeSandbox>[2]) {
  const out = tempDir('eb-schedule-out-');
  const data = tempDir('eb-schedule-data-');
  dirs.push(out, data);
  return startEventBridgeSandbox(writePlatform(out.path, stack), data.path, options);
}

describe('scheduled rules and Scheduler rate schedules, ticked by hand', () => {
  let env: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    // timeScale 60: a minute of rate() is a second, and retry backoffs are 60 times shorter.
    env = await start(stackWith(['sweeper', 'paused'], true), { timeScale: 60, scheduleTimers: false });
  });

  afterAll(() => env.stop());

  it('fires each once a minute has passed, with the scheduled event and the schedule context', async () => {
    expect(env.inspect.tick(new Date())).toBe(0);
    expect(env.inspect.tick(new Date(Date.now() + 1000))).toBe(2);
    const heartbeat = await env.inspect.waitForDelivery((delivery) => delivery.ruleName === 'heartbeat');
    expect(heartbeat).toMatchObject({ outcome: 'delivered', input: '{"ping":true}', event: { source: 'aws.events', 'detail-type': 'Scheduled Event', resources: [HEARTBEAT_RULE_ARN], detail: {} } });
    expect(env.fakes.lambda.of('heartbeat')).toEqual([{ ping: true }]);
    const sweep = await env.inspect.waitForDelivery((delivery) => delivery.scheduleName === 'republish-outbox');
    expect(sweep).toMatchObject({ origin: 'schedule', outcome: 'delivered', scheduleArn: SWEEPER_ARN, targetArn: functionArn('republish-outbox') });
    const [payload] = env.fakes.lambda.of('republish-outbox') as { schedule: string; at: string; attempt: number }[];
    expect(payload).toMatchObject({ schedule: SWEEPER_ARN, attempt: 1 });
    expect(payload?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(env.fakes.lambda.invocations.find((invocation) => invocation.functionName === 'republish-outbox')?.options).toEqual({ invocationType: 'Event' });
    expect(env.fakes.lambda.of('paused')).toEqual([]);
  });

  it('retries a schedule target with the attempt number, then sends the input to the DLQ with Scheduler’s attributes', async () => {
    env.fakes.lambda.failNext('republish-outbox', 1);
    env.inspect.tick(new Date(Date.now() + 2000));
    const retried = await env.inspect.waitForDelivery((delivery) => delivery.scheduleName === 'republish-outbox' && delivery.attempts.length === 2);
    expect(retried.outcome).toBe('delivered');
    expect((env.fakes.lambda.of('republish-outbox').at(-1) as { attempt: number }).attempt).toBe(2);

    env.fakes.lambda.failNext('republish-outbox', 5);
    env.inspect.tick(new Date(Date.now() + 3000));
    const dead = await env.inspect.waitForDelivery((delivery) => delivery.scheduleName === 'republish-outbox' && delivery.outcome === 'dead-lettered');
    expect(dead.attempts).toHaveLength(2);
    const [message] = env.fakes.queues.of(SCHEDULER_DLQ_ARN);
    expect(JSON.parse(message?.body as string)).toMatchObject({ schedule: SWEEPER_ARN, attempt: 1 });
    expect(message?.messageAttributes).toEqual({
      ERROR_CODE: { DataType: 'String', StringValue: 'THROTTLING' },
      ERROR_MESSAGE: { DataType: 'String', StringValue: 'TooManyRequestsException: Rate Exceeded.' },
      EXECUTION_ID: { DataType: 'String', StringValue: dead.targetId },
      SCHEDULE_ARN: { DataType: 'String', StringValue: SWEEPER_ARN },
      TARGET_ARN: { DataType: 'String', StringValue: functionArn('republish-outbox') },
    });
  });
});

describe('cron schedules', () => {
  let env: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    env = await start(stackWith(['nightly', 'to_bus'], false), { timeScale: 1, scheduleTimers: false });
  });

  afterAll(() => env.stop());

  it('fire at their wall-clock times, in the schedule’s time zone, to SQS and to a bus', async () => {
    const fired = env.inspect.tick(new Date(Date.now() + 25 * 3_600_000));
    await env.inspect.settled();
    const nightly = env.fakes.queues.of(NIGHTLY_QUEUE_ARN);
    expect(nightly.length).toBeGreaterThanOrEqual(1);
    expect(nightly[0]?.body).toBe('{"report":"nightly"}');
    // 03:00 in Paris is 01:00 or 02:00 UTC, depending on daylight saving time.
    const nightlyRun = env.inspect.deliveries().find((delivery) => delivery.scheduleName === 'nightly-report');
    expect(nightlyRun?.scheduledTime).toMatch(/T0[12]:00:00Z$/);
    const ticks = env.inspect.events(BUS).filter((event) => event.source === 'orders.clock');
    expect(fired).toBe(nightly.length + ticks.length);
    expect(ticks.length).toBeGreaterThanOrEqual(24);
    for (const tick of ticks) {
      expect(tick).toMatchObject({ 'detail-type': 'ClockTicked', resources: ['arn:aws:scheduler:eu-west-1:111122223333:schedule/default/hourly-tick'] });
      // The detail carries the scheduled time; the event's own time is when it was put.
      expect(tick.detail).toEqual({ tick: expect.stringMatching(/T\d\d:00:00Z$/) });
    }
  });
});

describe('schedules on timers', () => {
  it('fire rate() schedules on their own, compressed by the time scale', async () => {
    // timeScale 600: rate(1 minute) fires every 100 ms.
    const env = await start(stackWith([], true), { timeScale: 600, scheduleTimers: true });
    try {
      const first = await env.inspect.waitForDelivery((delivery) => delivery.ruleName === 'heartbeat', 2000);
      expect(first.outcome).toBe('delivered');
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(env.fakes.lambda.of('heartbeat').length).toBeGreaterThanOrEqual(2);
    } finally {
      await env.stop();
    }
  });
});

describe('schedule expressions', () => {
  const at = (iso: string) => Date.parse(iso);
  const next = (text: string, after: string, timeZone?: string) => {
    const instant = nextOccurrence(parseScheduleExpression(text, true), at(after), { origin: 0, timeScale: 1, ...(timeZone ? { timeZone } : {}) });
    return instant === undefined ? undefined : new Date(instant).toISOString();
  };

  it('refuses what AWS refuses', () => {
    expect(() => parseScheduleExpression('rate(1 minutes)', false)).toThrow('use the singular unit for 1 and the plural otherwise');
    expect(() => parseScheduleExpression('rate(5 minute)', false)).toThrow('use the singular unit for 1 and the plural otherwise');
    expect(() => parseScheduleExpression('rate(0 minutes)', false)).toThrow('the rate must be a positive whole number');
    expect(() => parseScheduleExpression('cron(0 12 * * * *)', false)).toThrow('Exactly one of day-of-month and day-of-week must be ?');
    expect(() => parseScheduleExpression('cron(0 25 * * ? *)', false)).toThrow('Hours value 25 is outside 0-23');
    expect(() => parseScheduleExpression('cron(0 12 * *)', false)).toThrow('cron() takes 6 fields');
    expect(() => parseScheduleExpression('at(2030-01-01T00:00:00)', false)).toThrow('is not a valid schedule expression');
    expect(parseScheduleExpression('at(2030-01-01T00:00:00)', true).kind).toBe('at');
  });

  it('computes the next cron time', () => {
    expect(next('cron(0 12 * * ? *)', '2024-05-01T13:00:00Z')).toBe('2024-05-02T12:00:00.000Z');
    expect(next('cron(0/15 * * * ? *)', '2024-05-01T13:07:10Z')).toBe('2024-05-01T13:15:00.000Z');
    expect(next('cron(0 18 ? * MON-FRI *)', '2024-05-03T19:00:00Z')).toBe('2024-05-06T18:00:00.000Z');
    expect(next('cron(0 10 L * ? *)', '2024-02-01T00:00:00Z')).toBe('2024-02-29T10:00:00.000Z');
    expect(next('cron(0 9 ? * 6#3 *)', '2024-05-01T00:00:00Z')).toBe('2024-05-17T09:00:00.000Z');
    expect(next('cron(0 9 ? * 2L *)', '2024-05-01T00:00:00Z')).toBe('2024-05-27T09:00:00.000Z');
    expect(next('cron(0 9 15W * ? *)', '2024-06-01T00:00:00Z')).toBe('2024-06-14T09:00:00.000Z');
    expect(next('cron(0 0 1 JAN ? 2030)', '2024-05-01T00:00:00Z')).toBe('2030-01-01T00:00:00.000Z');
    expect(next('cron(0 0 1 JAN ? 2020)', '2024-05-01T00:00:00Z')).toBeUndefined();
  });

  it('reads cron and at() in the schedule’s time zone, across daylight saving', () => {
    expect(next('cron(0 3 * * ? *)', '2024-07-01T00:00:00Z', 'Europe/Paris')).toBe('2024-07-01T01:00:00.000Z');
    expect(next('cron(0 3 * * ? *)', '2024-12-01T00:00:00Z', 'Europe/Paris')).toBe('2024-12-01T02:00:00.000Z');
    expect(next('at(2030-03-05T08:30:00)', '2024-01-01T00:00:00Z', 'America/New_York')).toBe('2030-03-05T13:30:00.000Z');
    expect(next('at(2020-03-05T08:30:00)', '2024-01-01T00:00:00Z')).toBeUndefined();
  });

  it('counts rate() periods from the origin, divided by the time scale', () => {
    const rate = parseScheduleExpression('rate(5 minutes)', false);
    expect(nextOccurrence(rate, 1000, { origin: 1000, timeScale: 1 })).toBe(301_000);
    expect(nextOccurrence(rate, 301_000, { origin: 1000, timeScale: 1 })).toBe(601_000);
    expect(nextOccurrence(rate, 1000, { origin: 1000, timeScale: 300 })).toBe(2000);
  });
});
