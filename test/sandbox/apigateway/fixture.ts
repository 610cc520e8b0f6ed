import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogSink } from '../../../sandbox/core/logger';
import { Sandbox } from '../../../sandbox/core/sandbox';
import type { SandboxService } from '../../../sandbox/core/service';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { APIGATEWAY_APIS, apiGatewayService, type ApiGatewayApis } from '../../../sandbox/services/apigateway';
import { SQS_SENDER, type MessageAttributes, type QueueSender } from '../../../sandbox/services/capabilities';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const QUEUE_NAME = 'orders-test-partner-orders';
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:${QUEUE_NAME}`;
/** The value of the key that is in no usage plan. */
export const STRAY_KEY_VALUE = 'strayKey0123456789abcdefghijklmnopqrstuv';

/** The request model, as the intake stack gives it. */
export const PARTNER_ORDER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['partnerId', 'orderRef', 'items'],
  properties: {
    partnerId: { type: 'string', minLength: 1 },
    orderRef: { type: 'string', pattern: '^PO-[0-9]+$' },
    items: { type: 'array', minItems: 1, items: { type: 'object', required: ['sku', 'quantity'], properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } } },
  },
};

/** The construct's templates (stacks/constructs/queue-intake-api.ts), copied so the fixture stands alone. */
export const SEND_MESSAGE_TEMPLATE = [
  'Action=SendMessage',
  'MessageBody=$util.urlEncode($input.body)',
  'MessageAttribute.1.Name=apiKeyId',
  'MessageAttribute.1.Value.DataType=String',
  'MessageAttribute.1.Value.StringValue=$util.urlEncode($context.identity.apiKeyId)',
  'MessageAttribute.2.Name=requestId',
  'MessageAttribute.2.Value.DataType=String',
  'MessageAttribute.2.Value.StringValue=$util.urlEncode($context.requestId)',
].join('&');
export const ACCEPTED_TEMPLATE = "#set($result = $input.path('$.SendMessageResponse.SendMessageResult'))\n{\"messageId\": \"$result.MessageId\", \"requestId\": \"$context.requestId\"}";
export const FAILED_TEMPLATE = '{"message": "The request could not be queued; retry later", "requestId": "$context.requestId"}';
export const INVALID_BODY_TEMPLATE = '{"message": "Invalid request body", "problems": "$context.error.validationErrorString", "requestId": "$context.requestId"}';

const api = '${aws_api_gateway_rest_api.intake_api_3ABB617D.id}';
const ordersResource = '${aws_api_gateway_resource.intake_resource-1_830066AB.id}';
const orderResource = '${aws_api_gateway_resource.intake_resource-2_1A2B3C4D.id}';
const postMethod = '${aws_api_gateway_method.intake_method_EB2DE028.http_method}';

/**
 * The `intake` stack as cdktf synthesizes QueueIntakeApi (snake_case arguments, references as `${...}`),
 * plus what the tests need beside it: a throttled second plan and key, a key in no plan, a disabled key,
 * and a MOCK `GET /v1/partner-orders/{orderId}` with a required header.
 */
export function intakeStack(): Record<string, unknown> {
  const planKey = (name: string, key: string, plan: string) => ({ [name]: { key_id: `\${aws_api_gateway_api_key.${key}.id}`, key_type: 'API_KEY', usage_plan_id: `\${aws_api_gateway_usage_plan.${plan}.id}` } });
  return {
    provider: { aws: [{ region: REGION, allowed_account_ids: [ACCOUNT] }] },
    resource: {
      aws_sqs_queue: { intake_queue_982F54B4: { name: QUEUE_NAME, visibility_timeout_seconds: 30 } },
      aws_iam_role: { 'intake_role_81F400DA': { name: 'orders-test-intake-sqs', assume_role_policy: '{}' } },
      aws_cloudwatch_log_group: { 'intake_access-logs_29930445': { name: '/aws/apigateway/orders-test-intake/live/access', retention_in_days: 14 } },
      aws_api_gateway_rest_api: {
        intake_api_3ABB617D: { api_key_source: 'HEADER', description: 'POST /v1/partner-orders into SQS', endpoint_configuration: { types: ['REGIONAL'] }, name: 'orders-test-intake' },
      },
      aws_api_gateway_resource: {
        'intake_resource-0_C569EB46': { parent_id: '${aws_api_gateway_rest_api.intake_api_3ABB617D.root_resource_id}', path_part: 'v1', rest_api_id: api },
        'intake_resource-1_830066AB': { parent_id: '${aws_api_gateway_resource.intake_resource-0_C569EB46.id}', path_part: 'partner-orders', rest_api_id: api },
        'intake_resource-2_1A2B3C4D': { parent_id: ordersResource, path_part: '{orderId}', rest_api_id: api },
      },
      aws_api_gateway_request_validator: {
        intake_validator_A8DD16F8: { name: 'body', rest_api_id: api, validate_request_body: true },
        intake_params_validator: { name: 'params', rest_api_id: api, validate_request_parameters: true },
      },
      aws_api_gateway_model: {
        intake_model_23CEA38C: { content_type: 'application/json', name: 'PartnerOrdersRequest', rest_api_id: api, schema: JSON.stringify(PARTNER_ORDER_SCHEMA) },
      },
      aws_api_gateway_method: {
        intake_method_EB2DE028: {
          api_key_required: true,
          authorization: 'NONE',
          http_method: 'POST',
          request_models: { 'application/json': '${aws_api_gateway_model.intake_model_23CEA38C.name}' },
          request_validator_id: '${aws_api_gateway_request_validator.intake_validator_A8DD16F8.id}',
          resource_id: ordersResource,
          rest_api_id: api,
        },
        order_get: {
          api_key_required: false,
          authorization: 'NONE',
          http_method: 'GET',
          request_parameters: { 'method.request.header.x-partner-id': true, 'method.request.path.orderId': true },
          request_validator_id: '${aws_api_gateway_request_validator.intake_params_validator.id}',
          resource_id: orderResource,
          rest_api_id: api,
        },
      },
      aws_api_gateway_method_response: {
        'intake_response-202_56EF0074': { http_method: postMethod, resource_id: ordersResource, response_models: { 'application/json': 'Empty' }, rest_api_id: api, status_code: '202' },
        'intake_response-500_927A0543': { http_method: postMethod, resource_id: ordersResource, response_models: { 'application/json': 'Empty' }, rest_api_id: api, status_code: '500' },
        order_get_200: { http_method: 'GET', resource_id: orderResource, rest_api_id: api, status_code: '200', response_parameters: { 'method.response.header.X-Order-Id': true } },
      },
      aws_api_gateway_integration: {
        intake_integration_C1966775: {
          credentials: '${aws_iam_role.intake_role_81F400DA.arn}',
          depends_on: ['aws_iam_role_policy.intake_send-policy_CC0DE72A'],
          http_method: postMethod,
          integration_http_method: 'POST',
          passthrough_behavior: 'NEVER',
          request_parameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
          request_templates: { 'application/json': SEND_MESSAGE_TEMPLATE },
          resource_id: ordersResource,
          rest_api_id: api,
          type: 'AWS',
          uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/\${aws_sqs_queue.intake_queue_982F54B4.name}`,
        },
        order_get: {
          http_method: 'GET',
          resource_id: orderResource,
          rest_api_id: api,
          type: 'MOCK',
          request_templates: { 'application/json': '{"statusCode": 200}' },
        },
      },
      aws_api_gateway_integration_response: {
        'intake_integration-response-202_5A273BB0': {
          depends_on: ['aws_api_gateway_integration.intake_integration_C1966775'],
          http_method: postMethod,
          resource_id: ordersResource,
          response_templates: { 'application/json': ACCEPTED_TEMPLATE },
          rest_api_id: api,
          selection_pattern: '2\\d{2}',
          status_code: '${aws_api_gateway_method_response.intake_response-202_56EF0074.status_code}',
        },
        'intake_integration-response-500_ABB271EF': {
          depends_on: ['aws_api_gateway_integration.intake_integration_C1966775'],
          http_method: postMethod,
          resource_id: ordersResource,
          response_templates: { 'application/json': FAILED_TEMPLATE },
          rest_api_id: api,
          status_code: '${aws_api_gateway_method_response.intake_response-500_927A0543.status_code}',
        },
        order_get_200: {
          http_method: 'GET',
          resource_id: orderResource,
          rest_api_id: api,
          status_code: '200',
          response_parameters: { 'method.response.header.X-Order-Id': 'context.requestId' },
          response_templates: {
            'application/json': '{"orderId": "$input.params(\'orderId\')", "partner": "$util.escapeJavaScript($input.params(\'x-partner-id\'))", "stage": "$context.stage", "path": "$context.resourcePath"}',
          },
        },
      },
      aws_api_gateway_gateway_response: {
        'intake_invalid-body_1B5C1AA7': { response_templates: { 'application/json': INVALID_BODY_TEMPLATE }, response_type: 'BAD_REQUEST_BODY', rest_api_id: api, status_code: '400' },
      },
      aws_api_gateway_deployment: {
        intake_deployment_0835F0A3: { lifecycle: { create_before_destroy: true }, rest_api_id: api, triggers: { redeployment: 'c7e0069e' } },
      },
      aws_api_gateway_stage: {
        intake_stage_834DF2D9: {
          access_log_settings: {
            destination_arn: '${aws_cloudwatch_log_group.intake_access-logs_29930445.arn}',
            format: '{"requestId":"$context.requestId","apiKeyId":"$context.identity.apiKeyId","status":"$context.status","integrationStatus":"$context.integration.status","validationError":"$context.error.validationErrorString"}',
          },
          deployment_id: '${aws_api_gateway_deployment.intake_deployment_0835F0A3.id}',
          rest_api_id: api,
          stage_name: 'live',
          xray_tracing_enabled: true,
        },
      },
      aws_api_gateway_method_settings: {
        'intake_method-settings_693A840D': {
          method_path: '*/*',
          rest_api_id: api,
          settings: { data_trace_enabled: false, logging_level: 'OFF', metrics_enabled: true, throttling_burst_limit: 100, throttling_rate_limit: 100 },
          stage_name: '${aws_api_gateway_stage.intake_stage_834DF2D9.stage_name}',
        },
      },
      aws_api_gateway_api_key: {
        'intake_api-key_ABFAF212': { enabled: true, name: 'orders-test-intake-key' },
        slow_key: { enabled: true, name: 'orders-test-slow-key', value: 'slowKey0123456789abcdefghijklmnopqrstuvw' },
        stray_key: { enabled: true, name: 'orders-test-stray-key', value: STRAY_KEY_VALUE },
        disabled_key: { enabled: false, name: 'orders-test-disabled-key', value: 'disabledKey0123456789abcdefghijklmnopqrs' },
      },
      aws_api_gateway_usage_plan: {
        'intake_usage-plan_85C87B33': {
          api_stages: [{ api_id: api, stage: '${aws_api_gateway_stage.intake_stage_834DF2D9.stage_name}' }],
          name: 'orders-test-intake-plan',
          throttle_settings: { burst_limit: 100, rate_limit: 100 },
        },
        slow_plan: {
          api_stages: [{ api_id: api, stage: '${aws_api_gateway_stage.intake_stage_834DF2D9.stage_name}' }],
          name: 'orders-test-slow-plan',
          throttle_settings: { burst_limit: 2, rate_limit: 4 },
        },
      },
      aws_api_gateway_usage_plan_key: {
        ...planKey('intake_usage-plan-key_4D81B9CB', 'intake_api-key_ABFAF212', 'intake_usage-plan_85C87B33'),
        ...planKey('slow_plan_key', 'slow_key', 'slow_plan'),
        ...planKey('disabled_plan_key', 'disabled_key', 'intake_usage-plan_85C87B33'),
      },
    },
    output: { invoke_url: { value: '${aws_api_gateway_stage.intake_stage_834DF2D9.invoke_url}/v1/partner-orders' } },
  };
}

/** Writes a `cdktf.out`-like folder with a manifest and one stack. */
export function writePlatform(outdir: string, stack: Record<string, unknown> = intakeStack(), name = 'intake'): string {
  mkdirSync(join(outdir, 'stacks', name), { recursive: true });
  writeFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ stacks: { [name]: { name, dependencies: [], synthesizedStackPath: `stacks/${name}/cdk.tf.json` } }, version: '0.21.0' }));
  return outdir;
}

/** One message the fake sender took. */
export interface SentMessage {
  readonly queue: string;
  readonly body: string;
  readonly messageAttributes?: MessageAttributes;
}

/** An SQS sender that records what it is given; a queue named in `missing` does not exist. */
export class RecordingQueueSender implements QueueSender {
  readonly sent: SentMessage[] = [];
  readonly missing = new Set<string>();

  async sendMessage(queue: string, body: string, options?: { messageAttributes?: MessageAttributes }): Promise<{ messageId: string }> {
    if (this.missing.has(queue)) {
      const error = new Error('The specified queue does not exist.');
      error.name = 'QueueDoesNotExist';
      throw error;
    }
    this.sent.push({ queue, body, ...(options?.messageAttributes ? { messageAttributes: options.messageAttributes } : {}) });
    return { messageId: `msg-${this.sent.length}` };
  }
}

/** A stand-in for the messaging service: provides only the SQS sender. */
export function fakeMessagingService(sender: QueueSender): SandboxService {
  return {
    name: 'messaging',
    runs: ['aws_sqs_queue'],
    start: async (context) => context.registry.provide(SQS_SENDER, sender),
    stop: async () => undefined,
  };
}

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A sandbox running the API Gateway service (any free port) over `outdir`, beside the fake messaging service when given a sender. */
export async function startApiGatewaySandbox(outdir: string, dataRoot: string, sender?: QueueSender) {
  const logs: Parameters<LogSink>[0][] = [];
  const model = new PlatformModel(outdir);
  const service = apiGatewayService({ port: 0 });
  const services = sender ? [fakeMessagingService(sender), service] : [service];
  const sandbox = new Sandbox({ model, services, dataRoot, sink: (line) => logs.push(line) });
  await sandbox.start();
  const apis = sandbox.registry.require<ApiGatewayApis>(APIGATEWAY_APIS);
  return { sandbox, model, service, apis, logs };
}
