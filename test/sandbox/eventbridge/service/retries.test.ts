import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LambdaServiceError } from '../../../../sandbox/services/lambda/contracts';
import { backoffMs, type DeliveryRecord } from '../../../../sandbox/services/eventbridge';
import { BUS, DLQ_ARN, eventsStack, functionArn, startEventBridgeSandbox, statusChanged, tempDir, writePlatform } from './fixture';

let env: Awaited<ReturnType<typeof startEventBridgeSandbox>>;
const dirs: { cleanup: () => void }[] = [];

beforeAll(async () => {
  const out = tempDir('eb-retry-out-');
  const data = tempDir('eb-retry-data-');
  dirs.push(out, data);
  env = await startEventBridgeSandbox(writePlatform(out.path), data.path);
});

afterAll(async () => {
  await env.stop();
  for (const dir of dirs) dir.cleanup();
});

const loyaltyFor = (orderId: string) => (delivery: DeliveryRecord) =>
  delivery.targetId === 'loyalty' && (delivery.event?.detail.data as { orderId?: string } | undefined)?.orderId === orderId;

describe('retry policy', () => {
  it('retries a target whose invoke call fails twice, then delivers', async () => {
    env.fakes.lambda.failNext('award-loyalty-points', 2);
    await env.client.send(new PutEventsCommand({ Entries: [statusChanged('t-1', 'COMPLETED')] }));
    const delivery = await env.inspect.waitForDelivery(loyaltyFor('t-1'));
    expect(delivery.outcome).toBe('delivered');
    expect(delivery.attempts.map((attempt) => attempt.error?.code ?? 'ok')).toEqual(['THROTTLING', 'THROTTLING', 'ok']);
    expect(env.fakes.lambda.of('award-loyalty-points')).toContainEqual(expect.objectContaining({ detail: expect.objectContaining({ data: { orderId: 't-1', status: 'COMPLETED' } }) }));
  });

  it('sends the event to the DLQ with the attributes AWS adds once maximum_retry_attempts is used up', async () => {
    env.fakes.lambda.failNext('award-loyalty-points', 10, new LambdaServiceError('ServiceException', 'Lambda is having a bad day'));
    const answer = await env.client.send(new PutEventsCommand({ Entries: [statusChanged('t-2', 'COMPLETED')] }));
    const delivery = await env.inspect.waitForDelivery(loyaltyFor('t-2'));
    env.fakes.lambda.failNext('award-loyalty-points', 0);
    // maximum_retry_attempts 2: the first attempt and two retries.
    expect(delivery).toMatchObject({ outcome: 'dead-lettered', deadLetterArn: DLQ_ARN });
    expect(delivery.attempts).toHaveLength(3);
    const message = env.fakes.queues.of(DLQ_ARN).find((candidate) => candidate.body.includes('t-2'));
    expect(JSON.parse(message?.body as string)).toMatchObject({ id: answer.Entries?.[0]?.EventId, 'detail-type': 'OrderStatusChanged', detail: { data: { orderId: 't-2' } } });
    expect(message?.messageAttributes).toEqual({
      RULE_ARN: { DataType: 'String', StringValue: `arn:aws:events:eu-west-1:111122223333:rule/${BUS}/order-completed` },
      TARGET_ARN: { DataType: 'String', StringValue: functionArn('award-loyalty-points') },
      ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
      ERROR_MESSAGE: { DataType: 'String', StringValue: 'ServiceException: Lambda is having a bad day' },
      EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumRetryAttempts' },
      RETRY_ATTEMPTS: { DataType: 'String', StringValue: '2' },
    });
  });

  it('does not retry a missing function, and drops with an error log when the target has no DLQ', async () => {
    env.fakes.lambda.failNext('write-audit-record', 1, new LambdaServiceError('ResourceNotFoundException', 'Function not found: write-audit-record'));
    await env.client.send(new PutEventsCommand({ Entries: [{ Source: 'ops', DetailType: 'AuditRequested', Detail: '{"data":{"orderId":"t-3"}}' }] }));
    const delivery = await env.inspect.waitForDelivery((candidate) => candidate.targetId === 'audit');
    expect(delivery).toMatchObject({ outcome: 'dropped', attempts: [{ error: { code: 'NO_RESOURCE' } }] });
    expect(env.logs).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('Dropped an event for audit/audit') }));
  });

  it('treats a function error of an async invocation as Lambda’s concern: delivered, logged', async () => {
    const invoke = env.fakes.lambda.invoke.bind(env.fakes.lambda);
    const spy = jest.spyOn(env.fakes.lambda, 'invoke').mockImplementationOnce(async (...args) => ({
      ...(await invoke(...args)),
      error: { errorType: 'OrderNotFoundError', errorMessage: 'no order t-4', trace: [] },
    }));
    await env.client.send(new PutEventsCommand({ Entries: [statusChanged('t-4', 'COMPLETED')] }));
    const delivery = await env.inspect.waitForDelivery(loyaltyFor('t-4'));
    spy.mockRestore();
    expect(delivery).toMatchObject({ outcome: 'delivered', attempts: [{}] });
    expect(env.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('OrderNotFoundError: no order t-4') }));
  });
});

describe('maximum event age', () => {
  it('stops retrying once the event is older than maximum_event_age_in_seconds, in scaled time', async () => {
    const stack = eventsStack() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    (stack.resource.aws_cloudwatch_event_target?.loyalty as Record<string, unknown>).retry_policy = { maximum_event_age_in_seconds: 60, maximum_retry_attempts: 185 };
    const out = tempDir('eb-age-out-');
    const data = tempDir('eb-age-data-');
    dirs.push(out, data);
    // timeScale 1000: the event may be retried for 60 ms of real time.
    const aged = await startEventBridgeSandbox(writePlatform(out.path, stack), data.path, { timeScale: 1000 });
    try {
      aged.fakes.lambda.failNext('award-loyalty-points', 1000);
      const started = Date.now();
      await aged.client.send(new PutEventsCommand({ Entries: [statusChanged('t-5', 'COMPLETED')] }));
      const delivery = await aged.inspect.waitForDelivery(loyaltyFor('t-5'));
      expect(delivery.outcome).toBe('dead-lettered');
      expect(delivery.attempts.length).toBeGreaterThan(2);
      expect(delivery.attempts.length).toBeLessThan(185);
      expect(Date.now() - started).toBeLessThan(1000);
      const message = aged.fakes.queues.of(DLQ_ARN).find((candidate) => candidate.body.includes('t-5'));
      expect(message?.messageAttributes).toMatchObject({
        EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumEventAgeInSeconds' },
        RETRY_ATTEMPTS: { StringValue: String(delivery.attempts.length - 1) },
      });
    } finally {
      await aged.stop();
    }
  });
});

describe('backoff', () => {
  it('doubles from one second with jitter and is divided by the time scale', () => {
    expect(backoffMs(1, 1, () => 1)).toBe(1000);
    expect(backoffMs(1, 1, () => 0)).toBe(500);
    expect(backoffMs(4, 1, () => 1)).toBe(8000);
    expect(backoffMs(30, 1, () => 1)).toBe(300_000);
    expect(backoffMs(4, 1000, () => 1)).toBe(8);
  });
});
