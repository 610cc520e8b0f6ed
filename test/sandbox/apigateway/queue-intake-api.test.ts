import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import type { Sandbox } from '../../../sandbox/core/sandbox';
import type { ApiGatewayApis } from '../../../sandbox/services/apigateway';
import { QueueIntakeApi } from '../../../stacks/constructs/queue-intake-api';
import { ACCOUNT, RecordingQueueSender, REGION, startApiGatewaySandbox, tempDir } from './fixture';

// The fixture of service.test.ts is written by hand; this one is what the construct itself synthesizes,
// so a change to QueueIntakeApi that the sandbox cannot serve shows up here.
describe('apiGatewayService over a synthesized QueueIntakeApi', () => {
  const out = tempDir('apigw-construct-');
  const data = tempDir('apigw-construct-data-');
  const sender = new RecordingQueueSender();
  let sandbox: Sandbox;
  let apis: ApiGatewayApis;

  beforeAll(async () => {
    const app = new App({ outdir: out.path });
    const stack = new TerraformStack(app, 'intake');
    new AwsProvider(stack, 'aws', { region: REGION, allowedAccountIds: [ACCOUNT] });
    new QueueIntakeApi(stack, 'partner-orders', {
      name: 'orders-test-intake',
      path: '/v1/partner-orders',
      requestSchema: { type: 'object', required: ['partnerId'], properties: { partnerId: { type: 'string' } } },
      queueName: 'orders-test-partner-orders',
      security: { kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k`, logRetentionDays: 14, deletionProtection: false },
      accountId: ACCOUNT,
      region: REGION,
      throttle: { burstLimit: 3, rateLimit: 1 },
    });
    app.synth();
    ({ sandbox, apis } = await startApiGatewaySandbox(out.path, data.path, sender));
  });
  afterAll(async () => {
    await sandbox.stop();
    out.cleanup();
    data.cleanup();
  });

  it('queues a valid body, refuses an invalid one with the problem, and throttles at the burst', async () => {
    const url = `${apis.invokeUrl('orders-test-intake')}/v1/partner-orders`;
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apis.apiKey('orders-test-intake-key') }, body: JSON.stringify(body) });

    const accepted = await post({ partnerId: 'acme' });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ messageId: 'msg-1', requestId: accepted.headers.get('x-amzn-requestid') });
    expect(sender.sent.map((message) => [message.queue, message.body])).toEqual([[`arn:aws:sqs:${REGION}:${ACCOUNT}:orders-test-partner-orders`, '{"partnerId":"acme"}']]);

    const invalid = await post({ partnerId: 7 });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { problems: string }).problems).toBe('[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]');

    expect((await post({ partnerId: 'acme' })).status).toBe(202);
    expect((await post({ partnerId: 'acme' })).status).toBe(429);
  });
});
