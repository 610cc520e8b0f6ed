import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, TerraformStack } from 'cdktf';
import type { LogSink } from '../../../sandbox/core/logger';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { lambdaService } from '../../../sandbox/services/lambda';
import { MESSAGING_INSPECT, messagingService, type MessagingInspector } from '../../../sandbox/services/messaging';
import { NodeFunction } from '../../../stacks/constructs/node-function';
import { eventually, tempDir } from './fixture';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const CONSUMER = 'sbx-msg-consumer';

// One real function, written like the platform's consumers: it reports partial batch failures for SQS
// and logs what SNS hands it.
const HANDLER = `
export const handler = async (event: { Records: Record<string, any>[] }) => {
  const record = event.Records[0];
  if (record?.EventSource === 'aws:sns') {
    console.log('sns', record.Sns.Subject, record.Sns.Message);
    return;
  }
  const failures = event.Records.filter((item) => item.body === 'poison').map((item) => ({ itemIdentifier: item.messageId }));
  for (const item of event.Records) console.log('sqs', item.body, item.attributes.ApproximateReceiveCount, item.eventSourceARN);
  return { batchItemFailures: failures };
};
`;

const dir = tempDir('messaging-lambda-');
const lines: string[] = [];
let sandbox: Sandbox;
let inspect: MessagingInspector;

/** Synthesizes the stack with the platform's own constructs and the provider's classes, as `cdktf synth` would. */
function synth(): string {
  const outdir = join(dir.path, 'cdktf.out');
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'fanout');
  new AwsProvider(stack, 'aws', { region: REGION, allowedAccountIds: [ACCOUNT] });
  mkdirSync(join(dir.path, 'functions', 'consumer'), { recursive: true });
  writeFileSync(join(dir.path, 'functions', 'consumer', 'handler.ts'), HANDLER);
  const consumer = new NodeFunction(stack, 'consumer', {
    name: CONSUMER,
    entry: join(dir.path, 'functions', 'consumer', 'handler.ts'),
    security: { kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/test`, logRetentionDays: 7, deletionProtection: false },
    accountId: ACCOUNT,
    region: REGION,
    timeoutSeconds: 5,
  });
  const dlq = new SqsQueue(stack, 'dlq', { name: 'work-dlq' });
  const queue = new SqsQueue(stack, 'queue', {
    name: 'work',
    visibilityTimeoutSeconds: 1,
    // JSON.stringify keeps the ARN token inside a string; Fn.jsonencode of an object literal is an expression
    // the platform model cannot evaluate yet.
    redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
  });
  new LambdaEventSourceMapping(stack, 'mapping', {
    eventSourceArn: queue.arn,
    functionName: consumer.arn,
    batchSize: 10,
    functionResponseTypes: ['ReportBatchItemFailures'],
    scalingConfig: { maximumConcurrency: 2 },
  });
  const topic = new SnsTopic(stack, 'topic', { name: 'announcements' });
  new SnsTopicSubscription(stack, 'subscription', { topicArn: topic.arn, protocol: 'lambda', endpoint: consumer.arn });
  app.synth();
  return outdir;
}

beforeAll(async () => {
  const model = new PlatformModel(synth());
  const sink: LogSink = ({ component, message }) => lines.push(`[${component}] ${message}`);
  sandbox = new Sandbox({ model, services: [messagingService({ port: 0, pollIntervalMs: 50 }), lambdaService()], dataRoot: join(dir.path, 'data'), sink });
  await sandbox.start();
  inspect = sandbox.registry.require<MessagingInspector>(MESSAGING_INSPECT);
}, 120000);

afterAll(async () => {
  await sandbox?.stop();
  dir.cleanup();
  rmSync(join('.build', 'functions', CONSUMER), { recursive: true, force: true });
});

describe('messaging with the real Lambda service', () => {
  it('runs a synthesized consumer: partial batch failures, the DLQ after maxReceiveCount, and SNS → Lambda', async () => {
    const config = { endpoint: inspect.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const sqs = new SQSClient(config);
    const sns = new SNSClient(config);
    try {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: `${inspect.endpoint}/${ACCOUNT}/work`, Entries: ['ok-1', 'poison', 'ok-2'].map((body, index) => ({ Id: String(index), MessageBody: body })) }));
      await sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:announcements`, Message: 'hello', Subject: 'Greeting' }));

      await inspect.waitForDepth(`arn:aws:sqs:${REGION}:${ACCOUNT}:work-dlq`, 1, 10000);
      await inspect.waitForDepth(`arn:aws:sqs:${REGION}:${ACCOUNT}:work`, 0);
      await eventually(() => lines.find((line) => line.includes('"message":"sns Greeting hello"')), 5000, 'the SNS invocation');
      const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:work`;
      // The function logs JSON lines (NodeFunction's log format); keep the messages.
      const messages = lines.filter((line) => line.startsWith(`[lambda:${CONSUMER}] {`)).map((line) => (JSON.parse(line.slice(line.indexOf('{'))) as { message: string }).message);
      expect(messages.filter((message) => message.startsWith('sqs '))).toEqual([`sqs ok-1 1 ${queueArn}`, `sqs poison 1 ${queueArn}`, `sqs ok-2 1 ${queueArn}`, `sqs poison 2 ${queueArn}`]);
      expect((await inspect.receiveAll(`arn:aws:sqs:${REGION}:${ACCOUNT}:work-dlq`)).map((message) => message.Body)).toEqual(['poison']);
      expect(lines.filter((line) => line.startsWith('[messaging]') && line.includes('No Lambda service'))).toEqual([]);
    } finally {
      sqs.destroy();
      sns.destroy();
    }
  });
});
