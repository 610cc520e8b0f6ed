import type { Sandbox } from '../../../sandbox/core/sandbox';
import type { PlatformModel } from '../../../sandbox/model/platform-model';
import type { ApiGatewayApis } from '../../../sandbox/services/apigateway';
import { QUEUE_ARN, RecordingQueueSender, startApiGatewaySandbox, STRAY_KEY_VALUE, tempDir, writePlatform } from './fixture';

const ORDER = { partnerId: 'acme', orderRef: 'PO-1001', items: [{ sku: 'TEA-1', quantity: 2 }] };

describe('apiGatewayService over the intake API', () => {
  const out = tempDir('apigw-out-');
  const data = tempDir('apigw-data-');
  const sender = new RecordingQueueSender();
  let sandbox: Sandbox;
  let model: PlatformModel;
  let apis: ApiGatewayApis;
  let logs: Awaited<ReturnType<typeof startApiGatewaySandbox>>['logs'];
  let url: string;
  let key: string;

  beforeAll(async () => {
    writePlatform(out.path);
    ({ sandbox, model, apis, logs } = await startApiGatewaySandbox(out.path, data.path, sender));
    url = `${apis.invokeUrl('orders-test-intake')}/v1/partner-orders`;
    key = apis.apiKey('orders-test-intake-key');
  });
  afterAll(async () => {
    await sandbox.stop();
    out.cleanup();
    data.cleanup();
  });
  beforeEach(() => {
    sender.sent.length = 0;
    sender.missing.clear();
  });

  const post = (body: string, headers: Record<string, string> = {}, target = url) =>
    fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers }, body });

  it('queues a valid order unchanged and answers 202 with the message id', async () => {
    // Characters a form encoding could mangle: & = + %, spaces, a newline and non-ASCII.
    const body = JSON.stringify({ ...ORDER, note: 'a&b=c + 50% off\nthé 🍵' }, null, 2);
    const response = await post(body);
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toBe('application/json');
    const answer = (await response.json()) as { messageId: string; requestId: string };
    expect(answer).toEqual({ messageId: 'msg-1', requestId: response.headers.get('x-amzn-requestid') });
    expect(sender.sent).toEqual([
      {
        queue: QUEUE_ARN,
        body,
        messageAttributes: {
          apiKeyId: { DataType: 'String', StringValue: apis.apiKeys.find((entry) => entry.name === 'orders-test-intake-key')?.id },
          requestId: { DataType: 'String', StringValue: answer.requestId },
        },
      },
    ]);
  });

  it('rejects a body the model refuses with 400 naming the problem, and queues nothing', async () => {
    const missing = await post(JSON.stringify({ orderRef: 'PO-1', items: [{ sku: 'A', quantity: 1 }] }));
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await missing.json()).toEqual({
      message: 'Invalid request body',
      problems: '[object has missing required properties (["partnerId"])]',
      requestId: missing.headers.get('x-amzn-requestid'),
    });

    const wrong = await post(JSON.stringify({ ...ORDER, orderRef: 'X-1', items: [{ sku: 'A', quantity: '2' }] }));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { problems: string }).problems).toBe(
      '[ECMA 262 regex "^PO-[0-9]+$" does not match input string "X-1", instance type (string) does not match any allowed primitive type (allowed: ["integer"])]',
    );

    const notJson = await post('{"partnerId": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { problems: string }).problems).toMatch(/^\[Invalid JSON: /);
    expect(sender.sent).toEqual([]);
  });

  it('refuses a missing, unknown, planless or disabled API key with 403 Forbidden', async () => {
    const keys = [undefined, 'not-a-key', STRAY_KEY_VALUE, apis.apiKey('orders-test-disabled-key')];
    for (const value of keys) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(value ? { 'x-api-key': value } : {}) }, body: JSON.stringify(ORDER) });
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
      expect(await response.json()).toEqual({ message: 'Forbidden' });
    }
    expect(sender.sent).toEqual([]);
  });

  it("throttles a key beyond its plan's burst with 429 and lets it through once the bucket refills", async () => {
    const slow = apis.apiKey('orders-test-slow-key');
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await post(JSON.stringify(ORDER), { 'x-api-key': slow })).status);
    expect(statuses).toEqual([202, 202, 429]);
    const throttled = await post(JSON.stringify(ORDER), { 'x-api-key': slow });
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
    // 4 requests per second refill a token in 250 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await post(JSON.stringify(ORDER), { 'x-api-key': slow })).status).toBe(202);
    // Another key's bucket is its own.
    expect((await post(JSON.stringify(ORDER))).status).toBe(202);
  });

  it('answers an unknown route, method or stage with 403 Missing Authentication Token', async () => {
    const base = apis.invokeUrl('orders-test-intake');
    const attempts: [string, string][] = [
      ['POST', `${base}/v1/nothing-here`],
      ['GET', `${base}/v1/partner-orders`],
      ['POST', `${base.replace('/live/', '/staging/')}/v1/partner-orders`],
      ['GET', `${apis.endpoint}/not-a-stage/v1`],
    ];
    for (const [method, target] of attempts) {
      const response = await fetch(target, { method, headers: { 'x-api-key': key } });
      expect({ target, status: response.status, body: await response.json() }).toEqual({ target, status: 403, body: { message: 'Missing Authentication Token' } });
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
  });

  it('refuses a content type without a template (passthrough NEVER) with 415', async () => {
    const response = await post('partnerId=acme', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ message: 'Unsupported Media Type' });
  });

  it('maps an SQS failure to the default integration response (500) without leaking the queue', async () => {
    sender.missing.add(QUEUE_ARN);
    const response = await post(JSON.stringify(ORDER));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'The request could not be queued; retry later', requestId: response.headers.get('x-amzn-requestid') });
  });

  it('serves the friendly /<stage>/<path> URL and the invoke_url the model resolves', async () => {
    const friendly = apis.apis[0]?.stages[0]?.friendlyUrl;
    expect(friendly).toBe(`${apis.endpoint}/live`);
    expect((await post(JSON.stringify(ORDER), {}, `${friendly}/v1/partner-orders`)).status).toBe(202);
    expect(model.output('intake', 'invoke_url')).toBe(url);
    expect((await post(JSON.stringify(ORDER), {}, String(model.output('intake', 'invoke_url')))).status).toBe(202);
  });

  it('runs a MOCK integration with path parameters, required headers and mapped response headers', async () => {
    const orderUrl = `${apis.invokeUrl('orders-test-intake')}/v1/partner-orders/PO-42`;
    const missing = await fetch(orderUrl);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ message: 'Missing required request parameters: [x-partner-id]' });

    const found = await fetch(orderUrl, { headers: { 'X-Partner-Id': 'acme "west"' } });
    expect(found.status).toBe(200);
    expect(found.headers.get('x-order-id')).toBe(found.headers.get('x-amzn-requestid'));
    expect(await found.json()).toEqual({ orderId: 'PO-42', partner: 'acme "west"', stage: 'live', path: '/v1/partner-orders/{orderId}' });
  });

  it('writes one access log line per request in the stage format', async () => {
    logs.length = 0;
    await post(JSON.stringify({}));
    const line = logs.find((entry) => entry.component === 'apigateway' && entry.message.startsWith('{"requestId"'));
    expect(JSON.parse(line?.message ?? '{}')).toMatchObject({ status: '400', validationError: expect.stringContaining('object has missing required properties') });
  });

  it('publishes the URLs and keys, and describes routes, keys and what is not emulated', () => {
    expect(apis.apis).toEqual([
      {
        id: expect.stringMatching(/^[a-z0-9]{10}$/),
        name: 'orders-test-intake',
        stages: [{ name: 'live', invokeUrl: `${apis.endpoint}/restapis/${apis.apis[0]?.id}/live/_user_request_`, friendlyUrl: `${apis.endpoint}/live` }],
        routes: ['POST /v1/partner-orders  (API key) -> SQS orders-test-partner-orders', 'GET /v1/partner-orders/{orderId} -> MOCK'],
      },
    ]);
    expect(apis.apiKeys.map((entry) => [entry.name, entry.value.length, entry.enabled])).toEqual([
      ['orders-test-intake-key', 40, true],
      ['orders-test-slow-key', 40, true],
      ['orders-test-stray-key', 40, true],
      ['orders-test-disabled-key', 40, false],
    ]);
    const banner = sandbox.describe().join('\n');
    expect(banner).toContain(`REST API orders-test-intake (${apis.apis[0]?.id})`);
    expect(banner).toContain(`orders-test-intake-key=${key}`);
  });

  it('keeps generated API key values stable across restarts', async () => {
    const again = await startApiGatewaySandbox(out.path, data.path, new RecordingQueueSender());
    try {
      expect(again.apis.apiKey('orders-test-intake-key')).toBe(key);
      expect(again.apis.apis[0]?.id).toBe(apis.apis[0]?.id);
    } finally {
      await again.sandbox.stop();
    }
  });

  it('runs or accepts every API Gateway resource type of the stack', () => {
    const lines = sandbox.coverage().filter((line) => line.type.startsWith('aws_api_gateway_'));
    expect(lines.filter((line) => line.status === 'unsupported')).toEqual([]);
    expect(lines.find((line) => line.type === 'aws_api_gateway_method_settings')?.status).toBe('accepted');
  });
});

describe('apiGatewayService without a messaging service', () => {
  it('answers 500 Internal server error and logs that no service sends to SQS', async () => {
    const out = tempDir('apigw-out-');
    const data = tempDir('apigw-data-');
    writePlatform(out.path);
    const { sandbox, apis, logs } = await startApiGatewaySandbox(out.path, data.path);
    try {
      const response = await fetch(`${apis.invokeUrl('orders-test-intake')}/v1/partner-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apis.apiKey('orders-test-intake-key') },
        body: JSON.stringify(ORDER),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
      expect(logs.some((line) => line.level === 'error' && line.message.includes('no sandbox service provides the SQS sender'))).toBe(true);
    } finally {
      await sandbox.stop();
      out.cleanup();
      data.cleanup();
    }
  });
});
