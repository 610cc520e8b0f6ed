import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SqsLambdaRecord } from '../../../sandbox/services/messaging';
import { ACCOUNT, arn, eventually, REGION, startMessaging, tempDir, writePlatform, type Invocation, type MessagingFixture } from './fixture';

const dir = tempDir('messaging-esm-');
const outdir = writePlatform(join(dir.path, 'cdktf.out'));
let fixture: MessagingFixture;

const url = (queue: string) => `${fixture.endpoint}/${ACCOUNT}/${queue}`;
const records = (invocation: Invocation | undefined) => (invocation?.event as { Records: SqsLambdaRecord[] }).Records;
const bodies = (invocation: Invocation | undefined) => records(invocation).map((record) => record.body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendBatch(queue: string, messages: string[]): Promise<void> {
  await fixture.sqs.send(new SendMessageBatchCommand({ QueueUrl: url(queue), Entries: messages.map((body, index) => ({ Id: String(index), MessageBody: body })) }));
}

beforeAll(async () => {
  fixture = await startMessaging(outdir);
});

afterAll(async () => {
  await fixture?.stop();
  dir.cleanup();
});

beforeEach(() => {
  fixture.lambda.invocations.length = 0;
  fixture.lambda.handlers.clear();
});

describe('SQS event source mappings', () => {
  it('invokes the function with the SQS event Lambda builds', async () => {
    await fixture.sqs.send(
      new SendMessageCommand({
        QueueUrl: url('orders'),
        MessageBody: '{"orderId":"o-1"}',
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'OrderCreated' },
          attempt: { DataType: 'Number', StringValue: '1' },
          signature: { DataType: 'Binary', BinaryValue: Buffer.from('sig') },
        },
      }),
    );

    const [invocation] = await eventually(() => (fixture.lambda.of('orders-consumer').length > 0 ? fixture.lambda.of('orders-consumer') : undefined));
    expect(invocation?.invocationType).toBe('RequestResponse');
    expect(records(invocation)).toEqual([
      {
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        receiptHandle: expect.any(String),
        body: '{"orderId":"o-1"}',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d{13}$/),
          SenderId: expect.any(String),
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        },
        messageAttributes: {
          eventType: { stringValue: 'OrderCreated', stringListValues: [], binaryListValues: [], dataType: 'String' },
          attempt: { stringValue: '1', stringListValues: [], binaryListValues: [], dataType: 'Number' },
          signature: { binaryValue: Buffer.from('sig').toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        },
        md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
        md5OfBody: createHash('md5').update('{"orderId":"o-1"}').digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: arn('sqs', 'orders'),
        awsRegion: REGION,
      },
    ]);
    await fixture.inspect.waitForDepth(arn('sqs', 'orders'), 0);
  });

  it('with ReportBatchItemFailures deletes the successes and retries only the reported failure, until it reaches the DLQ', async () => {
    fixture.lambda.handlers.set('orders-consumer', (event) => ({
      payload: { batchItemFailures: (event as { Records: SqsLambdaRecord[] }).Records.filter((record) => record.body === 'poison').map((record) => ({ itemIdentifier: record.messageId })) },
    }));

    await sendBatch('orders', ['ok-1', 'poison', 'ok-2']);

    await fixture.inspect.waitForDepth(arn('sqs', 'orders-dlq'), 1, 8000);
    await fixture.inspect.waitForDepth(arn('sqs', 'orders'), 0);
    const invocations = fixture.lambda.of('orders-consumer');
    expect(invocations.map(bodies)).toEqual([['ok-1', 'poison', 'ok-2'], ['poison']]);
    expect(records(invocations[1])[0]?.attributes.ApproximateReceiveCount).toBe('2');
    // Lambda does not delay a retry: it waits for the visibility timeout (1 s here).
    expect((invocations[1]?.at ?? 0) - (invocations[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect((await fixture.inspect.receiveAll(arn('sqs', 'orders-dlq'))).map((message) => message.Body)).toEqual(['poison']);
  });

  it('without ReportBatchItemFailures retries the whole batch when the invocation fails', async () => {
    fixture.lambda.handlers.set('strict-consumer', (event) => {
      const batch = (event as { Records: SqsLambdaRecord[] }).Records;
      const firstTry = batch.some((record) => record.body === 'fail' && record.attributes.ApproximateReceiveCount === '1');
      return firstTry ? { payload: undefined, error: { errorType: 'OrderRejectedError', errorMessage: 'rejected', trace: [] } } : { payload: null };
    });

    await sendBatch('strict', ['good-1', 'fail', 'good-2']);

    await eventually(() => (fixture.lambda.of('strict-consumer').length >= 2 ? true : undefined), 5000, 'the retry');
    await fixture.inspect.waitForDepth(arn('sqs', 'strict'), 0);
    const invocations = fixture.lambda.of('strict-consumer');
    expect(invocations.map(bodies)).toEqual([
      ['good-1', 'fail', 'good-2'],
      ['good-1', 'fail', 'good-2'],
    ]);
    expect(records(invocations[1]).map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
    expect(records(invocations[1]).map((record) => record.messageId)).toEqual(records(invocations[0]).map((record) => record.messageId));
    expect(fixture.inspect.depth(arn('sqs', 'strict-dlq'))).toBe(0);
    expect(fixture.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('strict-consumer failed on a batch from') }));
  });

  it('fails the whole batch on an invalid partial batch response', async () => {
    let calls = 0;
    fixture.lambda.handlers.set('orders-consumer', () => {
      calls += 1;
      return { payload: calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-the-batch' }] } : {} };
    });

    await sendBatch('orders', ['a', 'b']);

    await eventually(() => (fixture.lambda.of('orders-consumer').length >= 2 ? true : undefined), 5000, 'the retry');
    await fixture.inspect.waitForDepth(arn('sqs', 'orders'), 0);
    expect(fixture.lambda.of('orders-consumer').map(bodies)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('waits up to the batching window for a full batch', async () => {
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl: url('batched'), MessageBody: 'b-1' }));
    await sleep(100);
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl: url('batched'), MessageBody: 'b-2' }));
    await sleep(100);
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl: url('batched'), MessageBody: 'b-3' }));
    const full = await eventually(() => fixture.lambda.of('batched-consumer')[0], 3000, 'the full batch');
    const started = Date.now();
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl: url('batched'), MessageBody: 'b-4' }));
    const partial = await eventually(() => fixture.lambda.of('batched-consumer')[1], 3000, 'the window to end');

    expect(bodies(full)).toEqual(['b-1', 'b-2', 'b-3']);
    expect(bodies(partial)).toEqual(['b-4']);
    expect(partial.at - started).toBeGreaterThanOrEqual(950);
  });

  it('keeps at most maximum_concurrency batches in flight', async () => {
    let running = 0;
    let most = 0;
    fixture.lambda.handlers.set('orders-consumer', async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(300);
      running -= 1;
      return { payload: null };
    });

    for (let index = 1; index <= 6; index += 1) {
      await fixture.sqs.send(new SendMessageCommand({ QueueUrl: url('orders'), MessageBody: `c-${index}` }));
      await sleep(20);
    }

    await fixture.inspect.waitForDepth(arn('sqs', 'orders'), 0);
    const invocations = fixture.lambda.of('orders-consumer');
    expect(invocations.length).toBeGreaterThanOrEqual(3);
    expect(invocations.flatMap(bodies).sort()).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6']);
    expect(most).toBe(2);
  });

  it('leaves a disabled mapping’s queue alone', async () => {
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl: url('paused'), MessageBody: 'later' }));
    await sleep(200);

    expect(fixture.lambda.of('paused-consumer')).toEqual([]);
    expect((await fixture.inspect.receiveAll(arn('sqs', 'paused')))[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
  });
});

describe('stopping event source mappings', () => {
  it('abandons an idle long poll at once, finishes the batch in flight, and invokes nothing afterwards', async () => {
    const own = await startMessaging(writePlatform(join(dir.path, 'stopping')));
    let finished = false;
    own.lambda.handlers.set('orders-consumer', async () => {
      await sleep(300);
      finished = true;
      return { payload: null };
    });
    await own.sqs.send(new SendMessageCommand({ QueueUrl: `${own.endpoint}/${ACCOUNT}/orders`, MessageBody: 'in flight' }));
    await eventually(() => own.lambda.of('orders-consumer')[0]);

    const started = Date.now();
    await own.stop();
    const stoppedAfter = Date.now() - started;
    const count = own.lambda.invocations.length;
    await sleep(300);

    expect(finished).toBe(true);
    // The other pollers were in 20 s long polls; they were abandoned, not waited for.
    expect(stoppedAfter).toBeLessThan(1000);
    expect(own.lambda.invocations).toHaveLength(count);
  });

  it('does not receive while no Lambda service runs', async () => {
    const own = await startMessaging(writePlatform(join(dir.path, 'no-lambda')), { withLambda: false });
    try {
      await own.sqs.send(new SendMessageCommand({ QueueUrl: `${own.endpoint}/${ACCOUNT}/orders`, MessageBody: 'waits' }));
      // The warning comes after ten poll intervals (50 ms here) without one.
      await sleep(700);

      expect((await own.inspect.receiveAll(arn('sqs', 'orders')))[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
      expect(own.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringMatching(/^No Lambda service runs: event source mapping .*:orders → orders-consumer .* waits without receiving$/) }));
    } finally {
      await own.stop();
    }
  });
});
