import { QueueConsumer } from '../../../stacks/constructs/queue-consumer';
import {
  ACCEPTED_TEMPLATE,
  ACCESS_LOG_FORMAT,
  FAILED_TEMPLATE,
  INVALID_BODY_TEMPLATE,
  QueueIntakeApi,
  type QueueIntakeApiProps,
} from '../../../stacks/constructs/queue-intake-api';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, idOf, KEY_ARN, ref, REGION, resource, SECURITY, statementsOf, Workspace } from './harness';

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['partnerOrderId', 'items'],
  properties: {
    partnerOrderId: { type: 'string', minLength: 1 },
    items: { type: 'array', minItems: 1, items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } } },
  },
};

const SEND_TEMPLATE = [
  'Action=SendMessage',
  'MessageBody=$util.urlEncode($input.body)',
  'MessageAttribute.1.Name=apiKeyId',
  'MessageAttribute.1.Value.DataType=String',
  'MessageAttribute.1.Value.StringValue=$util.urlEncode($context.identity.apiKeyId)',
  'MessageAttribute.2.Name=requestId',
  'MessageAttribute.2.Value.DataType=String',
  'MessageAttribute.2.Value.StringValue=$util.urlEncode($context.requestId)',
].join('&');

describe('QueueIntakeApi', () => {
  const workspace = new Workspace();
  const props = (overrides: Partial<QueueIntakeApiProps> = {}): QueueIntakeApiProps => ({
    name: 'orders-test-intake',
    path: '/v1/partner-orders',
    requestSchema: SCHEMA,
    queueName: 'orders-test-partner-orders',
    security: SECURITY,
    accountId: ACCOUNT,
    region: REGION,
    ...overrides,
  });
  let doc: TerraformDocument;
  let intake: QueueIntakeApi;

  beforeAll(() => {
    doc = workspace.synth((stack) => {
      const ingest = new QueueConsumer(stack, 'ingest', {
        queueName: 'orders-test-partner-orders',
        consumer: workspace.fn('qi-test-ingest'),
        security: SECURITY,
        accountId: ACCOUNT,
        region: REGION,
      });
      intake = new QueueIntakeApi(
        stack,
        'intake',
        props({ queueName: undefined, queue: ingest.queue, throttle: { burstLimit: 50, rateLimit: 25 }, quota: { limit: 10000, period: 'DAY' }, manageAccountLogging: true }),
      );
    });
  });
  afterAll(() => workspace.dispose());

  it('builds a regional API with the path as nested resources', () => {
    expect(resource(doc, 'aws_api_gateway_rest_api', 'intake/api')).toMatchObject({
      name: 'orders-test-intake',
      endpoint_configuration: { types: ['REGIONAL'] },
      api_key_source: 'HEADER',
    });
    expect(resource(doc, 'aws_api_gateway_resource', 'intake/resource-0')).toMatchObject({
      path_part: 'v1',
      parent_id: ref(doc, 'aws_api_gateway_rest_api', 'intake/api', 'root_resource_id'),
    });
    expect(resource(doc, 'aws_api_gateway_resource', 'intake/resource-1')).toMatchObject({
      path_part: 'partner-orders',
      parent_id: ref(doc, 'aws_api_gateway_resource', 'intake/resource-0', 'id'),
    });
  });

  it('requires an API key and validates the body against the draft-04 model', () => {
    expect(resource(doc, 'aws_api_gateway_method', 'intake/method')).toMatchObject({
      resource_id: ref(doc, 'aws_api_gateway_resource', 'intake/resource-1', 'id'),
      http_method: 'POST',
      authorization: 'NONE',
      api_key_required: true,
      request_validator_id: ref(doc, 'aws_api_gateway_request_validator', 'intake/validator', 'id'),
      request_models: { 'application/json': ref(doc, 'aws_api_gateway_model', 'intake/model', 'name') },
    });
    expect(resource(doc, 'aws_api_gateway_request_validator', 'intake/validator')).toMatchObject({ name: 'body', validate_request_body: true });
    const model = resource(doc, 'aws_api_gateway_model', 'intake/model');
    expect(model).toMatchObject({ name: 'PartnerOrdersRequest', content_type: 'application/json' });
    expect(JSON.parse(model.schema as string)).toEqual({ $schema: 'http://json-schema.org/draft-04/schema#', ...SCHEMA });
  });

  it('sends the body to SQS as a form post under its own role', () => {
    expect(resource(doc, 'aws_api_gateway_integration', 'intake/integration')).toMatchObject({
      type: 'AWS',
      http_method: ref(doc, 'aws_api_gateway_method', 'intake/method', 'http_method'),
      integration_http_method: 'POST',
      uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/orders-test-partner-orders`,
      credentials: ref(doc, 'aws_iam_role', 'intake/role', 'arn'),
      request_parameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      request_templates: { 'application/json': SEND_TEMPLATE },
      passthrough_behavior: 'NEVER',
      depends_on: [`aws_iam_role_policy.${idOf(doc, 'aws_iam_role_policy', 'intake/send-policy')}`],
    });
  });

  it('lets API Gateway send to exactly that queue and use the key only through SQS', () => {
    expect(resource(doc, 'aws_iam_role', 'intake/role').name).toBe('orders-test-intake-sqs');
    expect(statementsOf(doc, resource(doc, 'aws_iam_role', 'intake/role').assume_role_policy)).toEqual([
      { effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }] },
    ]);
    expect(statementsOf(doc, resource(doc, 'aws_iam_role_policy', 'intake/send-policy').policy)).toEqual([
      { sid: 'SendToQueue', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [ref(doc, 'aws_sqs_queue', 'ingest/queue/queue', 'arn')] },
      {
        sid: 'EncryptMessages',
        effect: 'Allow',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [KEY_ARN],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${REGION}.amazonaws.com`] }],
      },
    ]);
  });

  it('answers 202 with the message id, a bare 500 otherwise, and a 400 naming the validation problem', () => {
    expect(resource(doc, 'aws_api_gateway_integration_response', 'intake/integration-response-202')).toMatchObject({
      status_code: ref(doc, 'aws_api_gateway_method_response', 'intake/response-202', 'status_code'),
      selection_pattern: '2\\d{2}',
      response_templates: { 'application/json': ACCEPTED_TEMPLATE },
    });
    expect(ACCEPTED_TEMPLATE).toBe(
      "#set($result = $input.path('$.SendMessageResponse.SendMessageResult'))\n" + '{"messageId": "$result.MessageId", "requestId": "$context.requestId"}',
    );
    const failed = resource(doc, 'aws_api_gateway_integration_response', 'intake/integration-response-500');
    expect(failed).toMatchObject({ response_templates: { 'application/json': FAILED_TEMPLATE } });
    expect(failed).not.toHaveProperty('selection_pattern');
    expect(resource(doc, 'aws_api_gateway_method_response', 'intake/response-202')).toMatchObject({ status_code: '202', response_models: { 'application/json': 'Empty' } });
    expect(resource(doc, 'aws_api_gateway_gateway_response', 'intake/invalid-body')).toMatchObject({
      response_type: 'BAD_REQUEST_BODY',
      status_code: '400',
      response_templates: { 'application/json': INVALID_BODY_TEMPLATE },
    });
    expect(INVALID_BODY_TEMPLATE).toContain('"problems": "$context.error.validationErrorString"');
  });

  it('traces the stage and writes JSON access logs to an encrypted group with retention', () => {
    const logGroup = resource(doc, 'aws_cloudwatch_log_group', 'intake/access-logs');
    expect(logGroup).toMatchObject({ name: '/aws/apigateway/orders-test-intake/live/access', retention_in_days: 14, kms_key_id: KEY_ARN });
    expect(resource(doc, 'aws_api_gateway_stage', 'intake/stage')).toMatchObject({
      stage_name: 'live',
      deployment_id: ref(doc, 'aws_api_gateway_deployment', 'intake/deployment', 'id'),
      xray_tracing_enabled: true,
      access_log_settings: { destination_arn: ref(doc, 'aws_cloudwatch_log_group', 'intake/access-logs', 'arn'), format: ACCESS_LOG_FORMAT },
      depends_on: [`aws_api_gateway_account.${idOf(doc, 'aws_api_gateway_account', 'intake/account')}`],
    });
    expect(Object.keys(JSON.parse(ACCESS_LOG_FORMAT) as object)).toEqual(
      expect.arrayContaining(['requestId', 'ip', 'caller', 'status', 'latency', 'integrationLatency', 'apiKeyId', 'validationError']),
    );
    expect(resource(doc, 'aws_api_gateway_method_settings', 'intake/method-settings')).toMatchObject({
      method_path: '*/*',
      settings: { metrics_enabled: true, logging_level: 'OFF', data_trace_enabled: false, throttling_burst_limit: 50, throttling_rate_limit: 25 },
    });
    expect(resource(doc, 'aws_api_gateway_account', 'intake/account').cloudwatch_role_arn).toBe(ref(doc, 'aws_iam_role', 'intake/logging-role', 'arn'));
  });

  it('redeploys when the API changes', () => {
    const deployment = resource(doc, 'aws_api_gateway_deployment', 'intake/deployment');
    expect((deployment.triggers as { redeployment: string }).redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    const changed = workspace.synth((stack) => {
      new QueueIntakeApi(stack, 'intake', props({ requestSchema: { ...SCHEMA, required: ['partnerOrderId'] } }));
    });
    const same = workspace.synth((stack) => {
      new QueueIntakeApi(stack, 'intake', props());
    });
    const trigger = (document: TerraformDocument) => (resource(document, 'aws_api_gateway_deployment', 'intake/deployment').triggers as { redeployment: string }).redeployment;
    expect(trigger(changed)).not.toBe(trigger(same));
  });

  it('gives callers a key in a usage plan with throttle and quota', () => {
    expect(resource(doc, 'aws_api_gateway_api_key', 'intake/api-key')).toMatchObject({ name: 'orders-test-intake-key', enabled: true });
    expect(resource(doc, 'aws_api_gateway_usage_plan', 'intake/usage-plan')).toMatchObject({
      name: 'orders-test-intake-plan',
      api_stages: [{ api_id: ref(doc, 'aws_api_gateway_rest_api', 'intake/api', 'id'), stage: ref(doc, 'aws_api_gateway_stage', 'intake/stage', 'stage_name') }],
      throttle_settings: { burst_limit: 50, rate_limit: 25 },
      quota_settings: { limit: 10000, period: 'DAY' },
    });
    expect(resource(doc, 'aws_api_gateway_usage_plan_key', 'intake/usage-plan-key')).toMatchObject({
      key_id: ref(doc, 'aws_api_gateway_api_key', 'intake/api-key', 'id'),
      key_type: 'API_KEY',
      usage_plan_id: ref(doc, 'aws_api_gateway_usage_plan', 'intake/usage-plan', 'id'),
    });
    expect(intake.queue.name).toBe('orders-test-partner-orders');
  });

  it('complies with the anti-pattern rules', () => {
    expect(checkStack(doc)).toEqual([]);
  });

  it('creates its own queue, and groups and deduplicates per caller on a FIFO one', () => {
    const own = workspace.synth((stack) => {
      const api = new QueueIntakeApi(stack, 'intake', props());
      expect(api.queue.name).toBe('orders-test-partner-orders');
    });
    expect(resource(own, 'aws_sqs_queue', 'intake/queue/queue').name).toBe('orders-test-partner-orders');
    expect(own.resource).not.toHaveProperty('aws_api_gateway_account');
    const fifo = workspace.synth((stack) => {
      const queue = new QueueConsumer(stack, 'ingest', { queueName: 'orders-test-fifo', consumer: workspace.fn('qi-test-fifo'), fifo: true, security: SECURITY, accountId: ACCOUNT, region: REGION });
      new QueueIntakeApi(stack, 'intake', props({ queueName: undefined, queue: queue.queue }));
    });
    const integration = resource(fifo, 'aws_api_gateway_integration', 'intake/integration');
    expect(integration.uri).toBe(`arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/orders-test-fifo.fifo`);
    expect((integration.request_templates as Record<string, string>)['application/json']).toBe(
      `${SEND_TEMPLATE}&MessageGroupId=$util.urlEncode($context.identity.apiKeyId)&MessageDeduplicationId=$util.urlEncode($context.requestId)`,
    );
  });

  it('reports every invalid prop at once', () => {
    expect(
      () =>
        new QueueIntakeApi(
          workspace.stack(),
          'bad',
          props({
            name: 'Intake API',
            path: 'v1/{id}',
            modelName: 'Partner-Order',
            stageName: 'live stage',
            requestSchema: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              properties: { const: { const: 1 }, ref: { $ref: 'envelope.schema.json#/definitions/id' }, age: { type: 'number', exclusiveMinimum: 0 } },
            },
            throttle: { burstLimit: 0, rateLimit: 0 },
            quota: { limit: 0, period: 'DAY' },
          }),
        ),
    ).toThrow(
      [
        'QueueIntakeApi bad:',
        '- name "Intake API" must be 1-54 lowercase letters, digits or - (its role adds "-sqs")',
        '- path "v1/{id}" must be /segment[/segment...] of letters, digits, . _ -',
        '- modelName "Partner-Order" must be letters and digits',
        '- stageName "live stage" must be letters, digits, _ or -',
        '- requestSchema.$schema is http://json-schema.org/draft-07/schema#; API Gateway validates draft-04 only',
        '- requestSchema uses keywords that draft-04 does not have (API Gateway would ignore them): #/properties/const/const, #/properties/age/exclusiveMinimum (a number; draft-04 takes true/false)',
        '- requestSchema refers outside itself ("$ref":"envelope.schema.json#/definitions/id"); inline the definitions',
        '- throttle.burstLimit must be a whole number, 1 or more',
        '- throttle.rateLimit must be above 0',
        '- quota.limit must be a whole number, 1 or more',
      ].join('\n'),
    );
    expect(() => new QueueIntakeApi(workspace.stack(), 'none', props({ queueName: undefined, requestSchema: {} }))).toThrow(
      'QueueIntakeApi none:\n- give exactly one of queue and queueName\n- requestSchema must be a non-empty JSON Schema object',
    );
  });
});
