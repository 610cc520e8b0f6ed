import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { APIGATEWAY_APIS, apiGatewayService, type ApiGatewayApis } from '../../../sandbox/services/apigateway';
import { MESSAGING_INSPECT, messagingService, type MessagingInspector } from '../../../sandbox/services/messaging';
import { QUEUE_ARN, tempDir, writePlatform } from './fixture';

// The fake sender of the other tests stands in for this: the messaging service's own SQS sender.
describe('apiGatewayService with the messaging service', () => {
  it('delivers a POST to the platform queue, body and attributes intact', async () => {
    const out = tempDir('apigw-messaging-');
    const data = tempDir('apigw-messaging-data-');
    writePlatform(out.path);
    const sandbox = new Sandbox({ model: new PlatformModel(out.path), services: [messagingService({ port: 0 }), apiGatewayService({ port: 0 })], dataRoot: data.path, sink: () => undefined });
    await sandbox.start();
    try {
      const apis = sandbox.registry.require<ApiGatewayApis>(APIGATEWAY_APIS);
      const inspector = sandbox.registry.require<MessagingInspector>(MESSAGING_INSPECT);
      const body = JSON.stringify({ partnerId: 'acme', orderRef: 'PO-9', items: [{ sku: 'TEA-1', quantity: 1 }], note: 'a&b=c 100%' });
      const response = await fetch(`${apis.invokeUrl('orders-test-intake')}/v1/partner-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apis.apiKey('orders-test-intake-key') },
        body,
      });
      expect(response.status).toBe(202);
      const { messageId, requestId } = (await response.json()) as { messageId: string; requestId: string };
      const [message, ...others] = await inspector.receiveAll(QUEUE_ARN);
      expect(others).toEqual([]);
      expect(message).toMatchObject({ MessageId: messageId, Body: body, MessageAttributes: { requestId: { DataType: 'String', StringValue: requestId } } });
    } finally {
      await sandbox.stop();
      out.cleanup();
      data.cleanup();
    }
  });
});
