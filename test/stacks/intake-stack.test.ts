import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import partnerOrderSchema from '../../events/requests/partner-order.schema.json';
import { ref, resource, statementsOf } from './constructs/harness';
import { onlyResource, resourcesOf, synthPlatform } from './synth';
import { fromStack, ordersTableAccess, policiesOf } from './references';

describe('IntakeStack', () => {
  const { intake } = synthPlatform('local');
  const prod = synthPlatform('prod').intake;
  const at = (type: string, path: string, attribute: string) => ref(intake.doc, type, path, attribute);
  const apiId = at('aws_api_gateway_rest_api', 'partner-api/api', 'id');
  const resourceId = at('aws_api_gateway_resource', 'partner-api/resource-1', 'id');
  const httpMethod = at('aws_api_gateway_method', 'partner-api/method', 'http_method');
  const queueArn = at('aws_sqs_queue', 'partner-orders/queue/queue', 'arn');
  const keyArn = fromStack('data', 'aws_kms_key', 'platform-key/key', 'arn');
  const tableArn = fromStack('data', 'aws_dynamodb_table', 'orders-table/table', 'arn');

  describe('the partner API', () => {
    it('is a regional REST API whose callers present an API key in a header', () => {
      expect(intake.json).toHaveResourceWithProperties(ApiGatewayRestApi, {
        name: 'orders-local-partner-api',
        endpoint_configuration: { types: ['REGIONAL'] },
        api_key_source: 'HEADER',
      });
    });

    it('serves /v1/partner-orders', () => {
      expect(resource(intake.doc, 'aws_api_gateway_resource', 'partner-api/resource-0')).toMatchObject({
        rest_api_id: apiId,
        parent_id: at('aws_api_gateway_rest_api', 'partner-api/api', 'root_resource_id'),
        path_part: 'v1',
      });
      expect(resource(intake.doc, 'aws_api_gateway_resource', 'partner-api/resource-1')).toMatchObject({
        rest_api_id: apiId,
        parent_id: at('aws_api_gateway_resource', 'partner-api/resource-0', 'id'),
        path_part: 'partner-orders',
      });
      expect(resourcesOf(intake.doc, 'aws_api_gateway_resource')).toHaveLength(2);
    });

    it('takes POST only with an API key, validating the body against the PartnerOrder model', () => {
      expect(onlyResource(intake.doc, 'aws_api_gateway_method')).toEqual(
        expect.objectContaining({
          rest_api_id: apiId,
          resource_id: resourceId,
          http_method: 'POST',
          authorization: 'NONE',
          api_key_required: true,
          request_validator_id: at('aws_api_gateway_request_validator', 'partner-api/validator', 'id'),
          request_models: { 'application/json': at('aws_api_gateway_model', 'partner-api/model', 'name') },
        }),
      );
      const validator = onlyResource(intake.doc, 'aws_api_gateway_request_validator');
      expect(validator).toMatchObject({ rest_api_id: apiId, name: 'body', validate_request_body: true });
      expect(validator).not.toHaveProperty('validate_request_parameters');
    });

    it('validates with exactly the partner-order schema, as draft-04', () => {
      const model = onlyResource(intake.doc, 'aws_api_gateway_model');
      expect(model).toMatchObject({ rest_api_id: apiId, name: 'PartnerOrder', content_type: 'application/json' });
      expect(JSON.parse(String(model.schema))).toEqual(partnerOrderSchema);
      expect(partnerOrderSchema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    });

    it('sends the body to the partner-orders queue with SQS SendMessage, as its own role, refusing what was not validated', () => {
      const queue = resource(intake.doc, 'aws_sqs_queue', 'partner-orders/queue/queue');
      const integration = onlyResource(intake.doc, 'aws_api_gateway_integration');
      expect(integration).toEqual(
        expect.objectContaining({
          rest_api_id: apiId,
          resource_id: resourceId,
          http_method: httpMethod,
          type: 'AWS',
          integration_http_method: 'POST',
          uri: `arn:aws:apigateway:us-east-1:sqs:path/000000000000/${String(queue.name)}`,
          credentials: at('aws_iam_role', 'partner-api/role', 'arn'),
          passthrough_behavior: 'NEVER',
          request_parameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
          request_templates: {
            'application/json': [
              'Action=SendMessage',
              'MessageBody=$util.urlEncode($input.body)',
              'MessageAttribute.1.Name=apiKeyId',
              'MessageAttribute.1.Value.DataType=String',
              'MessageAttribute.1.Value.StringValue=$util.urlEncode($context.identity.apiKeyId)',
              'MessageAttribute.2.Name=requestId',
              'MessageAttribute.2.Value.DataType=String',
              'MessageAttribute.2.Value.StringValue=$util.urlEncode($context.requestId)',
            ].join('&'),
          },
        }),
      );
      expect(onlyResource(prod.doc, 'aws_api_gateway_integration').uri).toBe('arn:aws:apigateway:eu-west-1:sqs:path/222222222222/orders-prod-partner-orders');
    });

    it('sends with a role API Gateway assumes, which may send to that queue and encrypt through SQS only', () => {
      const role = resource(intake.doc, 'aws_iam_role', 'partner-api/role');
      expect(role.name).toBe('orders-local-partner-api-sqs');
      expect(statementsOf(intake.doc, role.assume_role_policy)).toEqual([
        { effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }] },
      ]);
      const policies = resourcesOf(intake.doc, 'aws_iam_role_policy').filter((policy) => policy.role === at('aws_iam_role', 'partner-api/role', 'id'));
      expect(policies.map((policy) => policy.name)).toEqual(['send-to-queue']);
      expect(statementsOf(intake.doc, policies[0]?.policy)).toEqual([
        { sid: 'SendToQueue', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [queueArn] },
        {
          sid: 'EncryptMessages',
          effect: 'Allow',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sqs.us-east-1.amazonaws.com'] }],
        },
      ]);
    });

    it('answers 202 with the message id when SQS accepts, and a 500 without internals otherwise', () => {
      for (const statusCode of ['202', '500']) {
        expect(intake.json).toHaveResourceWithProperties(ApiGatewayMethodResponse, {
          rest_api_id: apiId,
          resource_id: resourceId,
          http_method: httpMethod,
          status_code: statusCode,
          response_models: { 'application/json': 'Empty' },
        });
      }
      expect(intake.json).toHaveResourceWithProperties(ApiGatewayIntegrationResponse, {
        rest_api_id: apiId,
        resource_id: resourceId,
        http_method: httpMethod,
        status_code: at('aws_api_gateway_method_response', 'partner-api/response-202', 'status_code'),
        selection_pattern: '2\\d{2}',
        response_templates: {
          'application/json': [
            "#set($result = $input.path('$.SendMessageResponse.SendMessageResult'))",
            '{"messageId": "$result.MessageId", "requestId": "$context.requestId"}',
          ].join('\n'),
        },
      });
      const failed = resource(intake.doc, 'aws_api_gateway_integration_response', 'partner-api/integration-response-500');
      expect(failed.status_code).toBe(at('aws_api_gateway_method_response', 'partner-api/response-500', 'status_code'));
      expect(failed).not.toHaveProperty('selection_pattern');
      expect(failed.response_templates).toEqual({ 'application/json': '{"message": "The request could not be queued; retry later", "requestId": "$context.requestId"}' });
    });

    it('answers a body the model rejects with 400 naming the problems', () => {
      expect(intake.json).toHaveResourceWithProperties(ApiGatewayGatewayResponse, {
        rest_api_id: apiId,
        response_type: 'BAD_REQUEST_BODY',
        status_code: '400',
        response_templates: {
          'application/json': '{"message": "Invalid request body", "problems": "$context.error.validationErrorString", "requestId": "$context.requestId"}',
        },
      });
    });

    it('serves the live stage with X-Ray tracing and JSON access logs in an encrypted log group', () => {
      const stage = onlyResource(intake.doc, 'aws_api_gateway_stage');
      expect(stage).toMatchObject({
        rest_api_id: apiId,
        deployment_id: at('aws_api_gateway_deployment', 'partner-api/deployment', 'id'),
        stage_name: 'live',
        xray_tracing_enabled: true,
      });
      const logs = stage.access_log_settings as { destination_arn: string; format: string };
      expect(logs.destination_arn).toBe(at('aws_cloudwatch_log_group', 'partner-api/access-logs', 'arn'));
      expect(JSON.parse(logs.format)).toEqual({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        caller: '$context.identity.caller',
        user: '$context.identity.user',
        apiKeyId: '$context.identity.apiKeyId',
        requestTime: '$context.requestTime',
        httpMethod: '$context.httpMethod',
        resourcePath: '$context.resourcePath',
        status: '$context.status',
        protocol: '$context.protocol',
        responseLength: '$context.responseLength',
        latency: '$context.responseLatency',
        integrationLatency: '$context.integration.latency',
        integrationStatus: '$context.integration.status',
        errorMessage: '$context.error.message',
        validationError: '$context.error.validationErrorString',
      });
      expect(intake.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/apigateway/orders-local-partner-api/live/access', retention_in_days: 7, kms_key_id: keyArn });
    });

    it('throttles the stage and each key as the environment says, and caps each key per day', () => {
      const plan = onlyResource(intake.doc, 'aws_api_gateway_usage_plan');
      expect(plan).toEqual(
        expect.objectContaining({
          name: 'orders-local-partner-api-plan',
          api_stages: [{ api_id: apiId, stage: at('aws_api_gateway_stage', 'partner-api/stage', 'stage_name') }],
          throttle_settings: { burst_limit: 20, rate_limit: 10 },
          quota_settings: { limit: 10_000, period: 'DAY' },
        }),
      );
      expect(onlyResource(intake.doc, 'aws_api_gateway_method_settings').settings).toMatchObject({ throttling_burst_limit: 20, throttling_rate_limit: 10 });
      expect(onlyResource(prod.doc, 'aws_api_gateway_usage_plan')).toMatchObject({
        name: 'orders-prod-partner-api-plan',
        throttle_settings: { burst_limit: 100, rate_limit: 50 },
        quota_settings: { limit: 500_000, period: 'DAY' },
      });
      expect(onlyResource(prod.doc, 'aws_api_gateway_method_settings').settings).toMatchObject({ throttling_burst_limit: 100, throttling_rate_limit: 50 });
    });

    it('issues one enabled API key on that usage plan', () => {
      expect(intake.json).toHaveResourceWithProperties(ApiGatewayApiKey, { name: 'orders-local-partner-api-key', enabled: true });
      expect(resourcesOf(intake.doc, 'aws_api_gateway_api_key')).toHaveLength(1);
      expect(intake.json).toHaveResourceWithProperties(ApiGatewayUsagePlanKey, {
        key_id: at('aws_api_gateway_api_key', 'partner-api/api-key', 'id'),
        key_type: 'API_KEY',
        usage_plan_id: at('aws_api_gateway_usage_plan', 'partner-api/usage-plan', 'id'),
      });
    });
  });

  describe('the partner-orders queue and its consumer', () => {
    const consumer = resource(intake.doc, 'aws_lambda_function', 'partner-orders/function/function');

    it('queues encrypted, hidden for at least 6 × the consumer\'s timeout, dead-lettered after the environment\'s receives', () => {
      const queue = resource(intake.doc, 'aws_sqs_queue', 'partner-orders/queue/queue');
      expect(queue).toMatchObject({ name: 'orders-local-partner-orders', kms_master_key_id: keyArn, visibility_timeout_seconds: 120 });
      expect(queue.visibility_timeout_seconds).toBeGreaterThanOrEqual(6 * Number(consumer.timeout));
      const dlqArn = at('aws_sqs_queue', 'partner-orders/queue/dlq', 'arn');
      expect(JSON.parse(String(queue.redrive_policy))).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
      expect(JSON.parse(String(resource(prod.doc, 'aws_sqs_queue', 'partner-orders/queue/queue').redrive_policy)).maxReceiveCount).toBe(5);
      expect(resource(intake.doc, 'aws_sqs_queue', 'partner-orders/queue/dlq')).toMatchObject({
        name: 'orders-local-partner-orders-dlq',
        kms_master_key_id: keyArn,
        message_retention_seconds: 1_209_600,
      });
    });

    it('refuses requests without TLS and lets in no service: API Gateway sends with its role', () => {
      const policy = resource(intake.doc, 'aws_sqs_queue_policy', 'partner-orders/queue/queue-policy');
      expect(policy.queue_url).toBe(at('aws_sqs_queue', 'partner-orders/queue/queue', 'url'));
      expect(statementsOf(intake.doc, policy.policy)).toEqual([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          actions: ['sqs:*'],
          resources: [queueArn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ]);
    });

    it('notifies the alarm topic as soon as its DLQ holds one message', () => {
      const alarmTopic = fromStack('data', 'aws_sns_topic', 'alarms', 'arn');
      expect(intake.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: 'orders-local-partner-orders-dlq-not-empty',
        dimensions: { QueueName: at('aws_sqs_queue', 'partner-orders/queue/dlq', 'name') },
        threshold: 0,
        comparison_operator: 'GreaterThanThreshold',
        alarm_actions: [alarmTopic],
        ok_actions: [alarmTopic],
      });
    });

    it('runs ingest-partner-order on nodejs22.x/arm64 with tracing, a 20 s timeout and the table and bus names', () => {
      expect(consumer).toMatchObject({
        function_name: 'orders-local-ingest-partner-order',
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        tracing_config: { mode: 'Active' },
        timeout: 20,
      });
      expect(consumer.environment).toEqual({
        variables: {
          POWERTOOLS_SERVICE_NAME: 'orders-local-ingest-partner-order',
          TABLE_NAME: fromStack('data', 'aws_dynamodb_table', 'orders-table/table', 'name'),
          EVENT_BUS_NAME: fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'name'),
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    });

    it('is drained in batches of 10 within a second, reporting partial batch failures', () => {
      expect(intake.json).toHaveResourceWithProperties(LambdaEventSourceMapping, {
        event_source_arn: queueArn,
        function_name: at('aws_lambda_function', 'partner-orders/function/function', 'function_name'),
        batch_size: 10,
        maximum_batching_window_in_seconds: 1,
        function_response_types: ['ReportBatchItemFailures'],
      });
    });

    it('may consume its queue, write orders and publish them on the bus, using the key through each service only', () => {
      const policies = policiesOf(intake, 'partner-orders/function/role/role');
      expect(Object.keys(policies).sort()).toEqual(['consume-queue', 'decrypt-environment', 'write-logs', 'write-orders', 'write-traces']);
      const viaService = (service: string) => [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.us-east-1.amazonaws.com`] }];
      expect(policies['consume-queue']).toEqual([
        { sid: 'ConsumeQueue', effect: 'Allow', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], resources: [queueArn] },
        { sid: 'DecryptQueue', effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn], condition: viaService('sqs') },
      ]);
      expect(policies['write-orders']).toEqual([
        ...ordersTableAccess(tableArn, keyArn),
        { sid: 'PutEventsOnBus', effect: 'Allow', actions: ['events:PutEvents'], resources: [fromStack('events', 'aws_cloudwatch_event_bus', 'bus/bus', 'arn')] },
        { sid: 'BusKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [keyArn], condition: viaService('events') },
      ]);
    });
  });
});
