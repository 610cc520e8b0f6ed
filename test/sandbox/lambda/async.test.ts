import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import type { LogSink } from '../../../sandbox/core/logger';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { CapabilityRegistry } from '../../../sandbox/core/service';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import {
  EVENTBRIDGE_PUBLISHER,
  SNS_PUBLISHER,
  SQS_SENDER,
  type EventPublisher,
  type PutEventsEntry,
  type QueueSender,
  type TopicPublisher,
} from '../../../sandbox/services/capabilities';
import { LAMBDA_INVOKER, lambdaService, type InvocationRecord, type LambdaInvoker } from '../../../sandbox/services/lambda';
import { sendRecord } from '../../../sandbox/services/lambda/destinations';
import { readEventInvokeConfigs } from '../../../sandbox/services/lambda/event-invoke-config';
import { NodeFunction } from '../../../stacks/constructs/node-function';
import { ACCOUNT, REGION } from './fixture';

const PREFIX = 'sbx-async';
/** Fails the first `failures` attempts of each event id, counting in module state (one warm environment). */
const FLAKY = `
class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError';
}
const attempts = new Map<string, number>();

export const handler = async (event: { id: string; failures: number }) => {
  const attempt = (attempts.get(event.id) ?? 0) + 1;
  attempts.set(event.id, attempt);
  if (attempt <= event.failures) throw new PaymentDeclinedError(\`attempt \${attempt} of \${event.id} declined\`);
  return { id: event.id, attempt };
};
`;
const RECORDER = `export const handler = async (event: unknown) => ({ received: event });\n`;

const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const FAILURES_QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:payments-failed`;
const RECORDED_QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:recorded`;
const SUCCESS_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:payments-done`;
const RESULTS_BUS = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/lambda-results`;
const names = {
  flaky: `${PREFIX}-flaky`,
  once: `${PREFIX}-once`,
  aged: `${PREFIX}-aged`,
  unconfigured: `${PREFIX}-unconfigured`,
  recorder: `${PREFIX}-recorder`,
};
/** 1/600: Lambda's 1 and 2 minute retry delays last 100 and 200 ms, a 60 s maximum event age 100 ms. */
const TIME_SCALE = 1 / 600;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const root = mkdtempSync(join(tmpdir(), 'sandbox-lambda-async-'));

/**
 * The platform: `flaky` with Lambda's default retries, an SQS on-failure and an SNS on-success destination;
 * `once` without retries, failing to an EventBridge bus; `aged` with a 60 s maximum event age, failing to the
 * `recorder` function, whose successes go to SQS; `unconfigured` without any config.
 */
function synth(): string {
  const outdir = join(root, 'cdktf.out');
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'payments');
  new AwsProvider(stack, 'aws', { region: REGION, allowedAccountIds: [ACCOUNT] });
  mkdirSync(join(root, 'functions'), { recursive: true });
  writeFileSync(join(root, 'functions', 'flaky.ts'), FLAKY);
  writeFileSync(join(root, 'functions', 'recorder.ts'), RECORDER);
  const fn = (key: keyof typeof names, entry: string) =>
    new NodeFunction(stack, key, {
      name: names[key],
      entry: join(root, 'functions', entry),
      security: { kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/test`, logRetentionDays: 7, deletionProtection: false },
      accountId: ACCOUNT,
      region: REGION,
    });
  const flaky = fn('flaky', 'flaky.ts');
  const once = fn('once', 'flaky.ts');
  const aged = fn('aged', 'flaky.ts');
  fn('unconfigured', 'flaky.ts');
  const recorder = fn('recorder', 'recorder.ts');
  new LambdaFunctionEventInvokeConfig(stack, 'flaky-async', {
    functionName: flaky.function.functionName,
    destinationConfig: { onFailure: { destination: FAILURES_QUEUE }, onSuccess: { destination: SUCCESS_TOPIC } },
  });
  new LambdaFunctionEventInvokeConfig(stack, 'once-async', {
    functionName: once.function.functionName,
    maximumRetryAttempts: 0,
    destinationConfig: { onFailure: { destination: RESULTS_BUS } },
  });
  new LambdaFunctionEventInvokeConfig(stack, 'aged-async', {
    functionName: aged.function.functionName,
    maximumEventAgeInSeconds: 60,
    destinationConfig: { onFailure: { destination: recorder.arn } },
  });
  new LambdaFunctionEventInvokeConfig(stack, 'recorder-async', {
    functionName: recorder.arn,
    destinationConfig: { onSuccess: { destination: RECORDED_QUEUE } },
  });
  new LambdaPermission(stack, 'flaky-permission', {
    statementId: 'AllowEventBridge',
    action: 'lambda:InvokeFunction',
    functionName: flaky.function.functionName,
    principal: 'events.amazonaws.com',
  });
  app.synth();
  return outdir;
}

const lines: { level: string; text: string }[] = [];
const sink: LogSink = ({ level, component, message }) => lines.push({ level, text: `[${component}] ${message}` });
/** What the fake SQS, SNS and EventBridge capabilities were given. */
const sent: { destination: string; body: string }[] = [];
const events: PutEventsEntry[] = [];

const model = new PlatformModel(synth());
const sandbox = new Sandbox({ model, services: [lambdaService({ asyncTimeScale: TIME_SCALE, maxEnvironmentsPerFunction: 1 })], dataRoot: join(root, 'data'), sink });
let invoker: LambdaInvoker;

beforeAll(async () => {
  sandbox.registry.provide<QueueSender>(SQS_SENDER, {
    sendMessage: async (queue, body) => {
      sent.push({ destination: queue, body });
      return { messageId: `m-${sent.length}` };
    },
  });
  sandbox.registry.provide<TopicPublisher>(SNS_PUBLISHER, {
    publish: async (topic, message) => {
      sent.push({ destination: topic, body: message });
      return { messageId: `m-${sent.length}` };
    },
  });
  sandbox.registry.provide<EventPublisher>(EVENTBRIDGE_PUBLISHER, {
    putEvents: async (entries) => {
      events.push(...entries);
      return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `e-${events.length + index}` })) };
    },
  });
  await sandbox.start();
  invoker = sandbox.registry.require<LambdaInvoker>(LAMBDA_INVOKER);
});

afterAll(async () => {
  await sandbox.stop();
  rmSync(root, { recursive: true, force: true });
  for (const name of Object.values(names)) rmSync(join('.build', 'functions', name), { recursive: true, force: true });
});

async function eventually<T>(find: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Records sent to an SQS queue or SNS topic for one request. */
const recordsAt = (destination: string, requestId: string) =>
  sent
    .filter((message) => message.destination === destination)
    .map((message) => JSON.parse(message.body) as InvocationRecord)
    .filter((record) => record.requestContext.requestId === requestId);

/** Invocations of a function for one request id: one REPORT line each. */
const attempts = (name: string, requestId: string) => lines.filter(({ text }) => text.startsWith(`[lambda:${name}] REPORT RequestId: ${requestId}\t`)).length;

async function invokeAsync(name: string, event: unknown): Promise<{ requestId: string; answeredInMs: number }> {
  const started = performance.now();
  const result = await invoker.invoke(name, event, { invocationType: 'Event' });
  const answeredInMs = performance.now() - started;
  expect(result).toEqual({ requestId: expect.any(String), payload: undefined, logs: [] });
  return { requestId: result.requestId, answeredInMs };
}

describe('lambda service: asynchronous invocation', () => {
  it('runs aws_lambda_function_event_invoke_config, accepts aws_lambda_permission, and computes the config id', () => {
    const coverage = sandbox.coverage();
    expect(coverage.find((line) => line.type === 'aws_lambda_function_event_invoke_config')).toEqual({ type: 'aws_lambda_function_event_invoke_config', count: 4, status: 'runs', detail: 'lambda' });
    expect(coverage.find((line) => line.type === 'aws_lambda_permission')).toEqual({
      type: 'aws_lambda_permission',
      count: 1,
      status: 'accepted',
      detail: 'invocation permissions are not enforced: any local service may invoke any function',
    });
    const ids = model.resources('aws_lambda_function_event_invoke_config').map((resource) => model.attribute(resource, 'id'));
    expect(ids.sort()).toEqual([names.aged, names.flaky, names.once, arn(names.recorder)].sort());
    expect(sandbox.describe()).toContain(`lambda: ${names.flaky} async: 2 retries, max event age 21600 s, on failure → ${FAILURES_QUEUE}, on success → ${SUCCESS_TOPIC}`);
  });

  it('answers at once and retries a function error: failing twice then succeeding takes three attempts and sends nothing on failure', async () => {
    const { requestId, answeredInMs } = await invokeAsync(names.flaky, { id: 'twice', failures: 2 });
    expect(answeredInMs).toBeLessThan(50);
    expect(attempts(names.flaky, requestId)).toBe(0);
    const [success] = await eventually(() => (recordsAt(SUCCESS_TOPIC, requestId).length > 0 ? recordsAt(SUCCESS_TOPIC, requestId) : undefined), 'the success record');
    expect(attempts(names.flaky, requestId)).toBe(3);
    expect(success?.requestContext).toEqual({ requestId, functionArn: `${arn(names.flaky)}:$LATEST`, condition: 'Success', approximateInvokeCount: 3 });
    expect(success?.responsePayload).toEqual({ id: 'twice', attempt: 3 });
    expect(recordsAt(FAILURES_QUEUE, requestId)).toEqual([]);
    const retries = lines.filter(({ level, text }) => level === 'warn' && text.startsWith(`[lambda] Async invocation ${requestId} of ${names.flaky} failed`)).map(({ text }) => text);
    expect(retries).toEqual([
      `[lambda] Async invocation ${requestId} of ${names.flaky} failed (attempt 1 of 3): PaymentDeclinedError: attempt 1 of twice declined; retrying in 60 s (100 ms in the sandbox)`,
      `[lambda] Async invocation ${requestId} of ${names.flaky} failed (attempt 2 of 3): PaymentDeclinedError: attempt 2 of twice declined; retrying in 120 s (200 ms in the sandbox)`,
    ]);
  });

  it('sends the success record to the on-success destination', async () => {
    const { requestId } = await invokeAsync(names.flaky, { id: 'first-time', failures: 0 });
    const [record] = await eventually(() => (recordsAt(SUCCESS_TOPIC, requestId).length > 0 ? recordsAt(SUCCESS_TOPIC, requestId) : undefined), 'the success record');
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(ISO_TIME),
      requestContext: { requestId, functionArn: `${arn(names.flaky)}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { id: 'first-time', failures: 0 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { id: 'first-time', attempt: 1 },
    });
    expect(attempts(names.flaky, requestId)).toBe(1);
  });

  it('sends the invocation record to the SQS on-failure destination after 1 + maximum_retry_attempts attempts', async () => {
    const started = performance.now();
    const { requestId } = await invokeAsync(names.flaky, { id: 'never', failures: 99 });
    const body = await eventually(() => sent.find((message) => message.destination === FAILURES_QUEUE && message.body.includes(requestId))?.body, 'the failure record');
    // Lambda waits 1 then 2 minutes: 180 s at 1/600 is 300 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(attempts(names.flaky, requestId)).toBe(3);
    const record = JSON.parse(body) as InvocationRecord;
    expect(Object.keys(record)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(ISO_TIME),
      requestContext: { requestId, functionArn: `${arn(names.flaky)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { id: 'never', failures: 99 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'PaymentDeclinedError', errorMessage: 'attempt 3 of never declined', trace: expect.any(Array) },
    });
    const trace = (record.responsePayload as { trace: string[] }).trace;
    expect(trace[0]).toBe('PaymentDeclinedError: attempt 3 of never declined');
    expect(trace.some((line) => line.includes('flaky.ts'))).toBe(true);
    expect(recordsAt(SUCCESS_TOPIC, requestId)).toEqual([]);
    expect(lines).toContainEqual({ level: 'warn', text: `[lambda] Sent the RetriesExhausted record of async invocation ${requestId} of ${names.flaky} to ${FAILURES_QUEUE}` });
  });

  it('with maximum_retry_attempts 0 invokes once and puts the record on the EventBridge bus', async () => {
    const { requestId } = await invokeAsync(names.once, { id: 'no-retry', failures: 99 });
    const event = await eventually(() => events.find((entry) => entry.Detail.includes(requestId)), 'the EventBridge event');
    expect(attempts(names.once, requestId)).toBe(1);
    expect(event).toEqual({
      Source: 'lambda',
      DetailType: 'Lambda Function Invocation Result - Failure',
      Detail: expect.any(String),
      EventBusName: RESULTS_BUS,
      Resources: [RESULTS_BUS, `${arn(names.once)}:$LATEST`],
    });
    expect(JSON.parse(event.Detail)).toMatchObject({
      requestContext: { requestId, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      responsePayload: { errorType: 'PaymentDeclinedError', errorMessage: 'attempt 1 of no-retry declined' },
    });
  });

  it('gives up with EventAgeExceeded when a retry would run past maximum_event_age_in_seconds, and invokes a function destination', async () => {
    const { requestId } = await invokeAsync(names.aged, { id: 'too-old', failures: 99 });
    // The recorder returns the record it got; its own on-success destination hands that back to us.
    const recorded = await eventually(
      () => sent.filter((message) => message.destination === RECORDED_QUEUE).map((message) => JSON.parse(message.body) as InvocationRecord).find((record) => JSON.stringify(record).includes(requestId)),
      'the recorder’s success record',
    );
    expect(attempts(names.aged, requestId)).toBe(1);
    expect(recorded.requestContext).toMatchObject({ functionArn: `${arn(names.recorder)}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
    const { received } = recorded.responsePayload as { received: InvocationRecord };
    expect(received).toEqual(recorded.requestPayload);
    expect(received).toMatchObject({
      requestContext: { requestId, functionArn: `${arn(names.aged)}:$LATEST`, condition: 'EventAgeExceeded', approximateInvokeCount: 1 },
      requestPayload: { id: 'too-old', failures: 99 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'PaymentDeclinedError', errorMessage: 'attempt 1 of too-old declined' },
    });
  });

  it("without a config retries twice, as Lambda's default, then drops the event with an error naming the function and request", async () => {
    const { requestId } = await invokeAsync(names.unconfigured, { id: 'dropped', failures: 99 });
    const dropped = await eventually(() => lines.find(({ text }) => text.startsWith(`[lambda] Dropped async invocation ${requestId}`)), 'the drop');
    expect(dropped).toEqual({
      level: 'error',
      text: `[lambda] Dropped async invocation ${requestId} of ${names.unconfigured} (RetriesExhausted after 3 attempt(s)): PaymentDeclinedError: attempt 3 of dropped declined; the function has no on-failure destination`,
    });
    expect(attempts(names.unconfigured, requestId)).toBe(3);
    expect(sent.filter((message) => message.body.includes(requestId))).toEqual([]);
  });

  it('refuses an Event invocation of an unknown function', async () => {
    await expect(invoker.invoke('missing', {}, { invocationType: 'Event' })).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Function not found: missing' });
  });
});

describe('lambda service: stopping with a retry pending', () => {
  it('cancels the retry timer, sends no record, and stops at once', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const stopping = new Sandbox({ model, services: [lambdaService({ asyncTimeScale: 1 })], dataRoot: join(root, 'stopping-data'), sink });
    const before = timers();
    await stopping.start();
    const sentBefore = sent.length;
    const result = await stopping.registry.require<LambdaInvoker>(LAMBDA_INVOKER).invoke(names.flaky, { id: 'stopped', failures: 99 }, { invocationType: 'Event' });
    // At AWS's own pace the first retry is a minute away.
    await eventually(() => lines.find(({ text }) => text.includes(`${result.requestId} of ${names.flaky} failed (attempt 1 of 3)`) && text.endsWith('retrying in 60 s (60000 ms in the sandbox)')), 'the first failure');
    expect(timers()).toBe(before + 1);
    const started = performance.now();
    await stopping.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(timers()).toBe(before);
    expect(lines).toContainEqual({ level: 'warn', text: '[lambda] Stopping: 1 unfinished async invocation(s) dropped, 1 of them waiting for a retry' });
    expect(sent.length).toBe(sentBefore);
    expect(attempts(names.flaky, result.requestId)).toBe(1);
  });
});

describe('readEventInvokeConfigs', () => {
  /** A hand-written cdktf.out with the given invoke configs; functions need no package to be named. */
  function platform(configs: Record<string, Record<string, unknown>>): PlatformModel {
    const outdir = mkdtempSync(join(root, 'configs-'));
    mkdirSync(join(outdir, 'stacks', 'compute'), { recursive: true });
    writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ stacks: { compute: { name: 'compute', dependencies: [], synthesizedStackPath: 'stacks/compute/cdk.tf.json' } } }));
    writeFileSync(
      join(outdir, 'stacks', 'compute', 'cdk.tf.json'),
      JSON.stringify({ provider: { aws: [{ region: REGION, allowed_account_ids: [ACCOUNT] }] }, resource: { aws_lambda_function_event_invoke_config: configs } }),
    );
    return new PlatformModel(outdir);
  }
  const functions = new Set(['orders', 'audit']);

  it("reads retries, event age and destinations, with Lambda's defaults", () => {
    const warnings: string[] = [];
    const configs = readEventInvokeConfigs(
      platform({
        orders: { function_name: arn('orders'), destination_config: [{ on_failure: [{ destination: FAILURES_QUEUE }] }] },
        audit: { function_name: 'audit', maximum_retry_attempts: 1, maximum_event_age_in_seconds: 120, destination_config: { on_success: { destination: RESULTS_BUS } } },
        alias: { function_name: 'orders', qualifier: 'live', maximum_retry_attempts: 0 },
      }),
      functions,
      (message) => warnings.push(message),
    );
    expect(Object.fromEntries(configs)).toEqual({
      orders: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600, onFailure: FAILURES_QUEUE, onSuccess: undefined },
      audit: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 120, onFailure: undefined, onSuccess: RESULTS_BUS },
    });
    expect(warnings).toEqual(['compute:aws_lambda_function_event_invoke_config.alias configures orders:live; the sandbox runs $LATEST only, so it never applies']);
  });

  it('names every problem of every config at once, and warns of a destination of no known kind', () => {
    const model = platform({
      a: { function_name: 'orders', maximum_retry_attempts: 3, maximum_event_age_in_seconds: 30 },
      b: { function_name: 'orders', destination_config: { on_success: { destination: 'arn:aws:s3:::records' } } },
      c: { function_name: 'missing', destination_config: { on_failure: { destination: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t' } } },
    });
    const warnings: string[] = [];
    expect(() => readEventInvokeConfigs(model, functions, (message) => warnings.push(message))).toThrow(
      [
        'Invalid aws_lambda_function_event_invoke_config:',
        '- compute:aws_lambda_function_event_invoke_config.a: maximum_retry_attempts 3 is not an integer from 0 to 2',
        '- compute:aws_lambda_function_event_invoke_config.a: maximum_event_age_in_seconds 30 is not an integer from 60 to 21600',
        '- compute:aws_lambda_function_event_invoke_config.b: orders already has an event invoke config (compute:aws_lambda_function_event_invoke_config.a)',
        '- compute:aws_lambda_function_event_invoke_config.b: on_success destination arn:aws:s3:::records: an S3 bucket takes records of failed invocations only',
        '- compute:aws_lambda_function_event_invoke_config.c: function_name missing names no aws_lambda_function of the platform',
      ].join('\n'),
    );
    // AWS would refuse it too, but in the sandbox a wrong ARN rather means a reference resolved differently.
    expect(warnings).toEqual([
      'compute:aws_lambda_function_event_invoke_config.c: on_failure destination arn:aws:dynamodb:eu-west-1:111122223333:table/t is not an SQS queue, SNS topic, EventBridge bus, Lambda function or S3 bucket ARN; its records will not be delivered',
    ]);
  });
});

describe('sendRecord', () => {
  const record: InvocationRecord = {
    version: '1.0',
    timestamp: '2025-01-01T00:00:00.000Z',
    requestContext: { requestId: 'r-1', functionArn: `${arn('orders')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: {},
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'boom', trace: [] },
  };
  const context = { registry: new CapabilityRegistry(), invoker: { invoke: () => Promise.reject(new Error('not called')) } };

  it('says why a record cannot be delivered, as DestinationDeliveryFailures would count it', async () => {
    await expect(sendRecord(FAILURES_QUEUE, record, context)).rejects.toThrow(`no sandbox service provides SQS (${SQS_SENDER})`);
    await expect(sendRecord(RESULTS_BUS, record, context)).rejects.toThrow(`no sandbox service provides EventBridge (${EVENTBRIDGE_PUBLISHER})`);
    await expect(sendRecord(`${FAILURES_QUEUE}.fifo`, record, context)).rejects.toThrow('Lambda cannot send records to a FIFO queue');
    await expect(sendRecord('arn:aws:s3:::records', record, context)).rejects.toThrow('the sandbox does not emulate S3 bucket destinations');
  });
});
