import { createHash } from 'node:crypto';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { keyEncryptViaService, queueSend } from '../lib/grants';
import { attachRolePolicy, unconditionedServiceRole } from '../lib/resource-policy';
import { secureApiStage, secureLogGroup, type SecurityContext } from './secure-defaults';
import { SecureQueue } from './secure-queue';

/** A JSON Schema (draft-04, the draft API Gateway validates with). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Requests per second a caller may make. */
export interface ThrottleSettings {
  /** Requests that may arrive at once. */
  readonly burstLimit: number;
  /** Steady requests per second. */
  readonly rateLimit: number;
}

/** Requests a caller may make per period. */
export interface QuotaSettings {
  readonly limit: number;
  readonly period: 'DAY' | 'WEEK' | 'MONTH';
}

/** Props of {@link QueueIntakeApi}. */
export interface QueueIntakeApiProps {
  /** API name, from the naming helper; the key, usage plan, role and log group are named after it. */
  readonly name: string;
  /** Resource path of the POST method, e.g. `/v1/partner-orders`. */
  readonly path: string;
  /** JSON Schema (draft-04) every request body must satisfy; API Gateway rejects the rest with 400. */
  readonly requestSchema: JsonSchema;
  /** Name of the request model (letters and digits). @default the last path segment in PascalCase + `Request` */
  readonly modelName?: string;
  /** The queue requests go to. Give this or `queueName`. @default a new SecureQueue named `queueName` */
  readonly queue?: SecureQueue;
  /** Name of a new queue to create when `queue` is not given. @default none */
  readonly queueName?: string;
  /** Stage name. @default 'live' */
  readonly stageName?: string;
  /** Key for the log group (and a new queue); log retention. */
  readonly security: SecurityContext;
  readonly accountId: string;
  readonly region: string;
  /** Per-key throttle of the usage plan, also the stage's default. @default { burstLimit: 20, rateLimit: 10 } */
  readonly throttle?: ThrottleSettings;
  /** Per-key quota of the usage plan. @default no quota */
  readonly quota?: QuotaSettings;
  /** Set the account's API Gateway CloudWatch role (one per account and region; needed for access logs). @default false */
  readonly manageAccountLogging?: boolean;
  /** SNS topic for a new queue's dead-letter alarm. @default the alarm fires without notifying */
  readonly alarmTopicArn?: string;
}

/** Fields of each access log line, one JSON object per request. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
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

/** Answer to an accepted request: SQS's message id, and the request id that is also on the message. */
export const ACCEPTED_TEMPLATE = [
  "#set($result = $input.path('$.SendMessageResponse.SendMessageResult'))",
  '{"messageId": "$result.MessageId", "requestId": "$context.requestId"}',
].join('\n');

/** Answer when SQS refused the message: nothing about the queue, role or key leaks. */
export const FAILED_TEMPLATE = '{"message": "The request could not be queued; retry later", "requestId": "$context.requestId"}';

/** Answer to a body the model rejects, naming the problem. */
export const INVALID_BODY_TEMPLATE =
  '{"message": "Invalid request body", "problems": "$context.error.validationErrorString", "requestId": "$context.requestId"}';

/** Keywords of JSON Schema drafts after 04, which API Gateway's draft-04 validator would silently ignore. */
const LATER_DRAFT_KEYWORDS = [
  '$id', '$defs', '$comment', 'const', 'contains', 'propertyNames', 'if', 'then', 'else', 'examples', 'readOnly', 'writeOnly',
  'contentMediaType', 'contentEncoding', 'dependentRequired', 'dependentSchemas', 'prefixItems', 'unevaluatedProperties', 'unevaluatedItems',
];

/**
 * A regional REST API that writes each valid `POST <path>` straight into SQS, with no function in front: an API
 * key and a usage plan (throttle, optional quota) per caller, a request model and validator that reject bad
 * bodies with a 400 naming the problem, an AWS integration calling `SendMessage` under a role that may send to
 * that one queue only, and a `202 {"messageId"}` answer (a `500` without internals when SQS refuses). The stage
 * traces with X-Ray and writes JSON access logs to an encrypted log group; the deployment is redone whenever
 * the API's configuration changes.
 */
export class QueueIntakeApi extends Construct {
  /** The REST API. */
  readonly api: ApiGatewayRestApi;
  /** The stage. */
  readonly stage: ApiGatewayStage;
  /** `https://.../<stage><path>`: where callers POST. */
  readonly invokeUrl: string;
  /** The callers' API key; its value is `apiKey.value` (sensitive). */
  readonly apiKey: ApiGatewayApiKey;
  /** The usage plan the key belongs to. */
  readonly usagePlan: ApiGatewayUsagePlan;
  /** The queue requests go to. */
  readonly queue: SecureQueue;
  /** The role API Gateway sends with. */
  readonly role: IamRole;
  /** The access log group. */
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: QueueIntakeApiProps) {
    super(scope, id);
    validate(id, props);
    const segments = props.path.split('/').filter(Boolean);
    const stageName = props.stageName ?? 'live';
    const throttle = props.throttle ?? { burstLimit: 20, rateLimit: 10 };
    const modelName = props.modelName ?? defaultModelName(segments);

    this.queue =
      props.queue ??
      new SecureQueue(this, 'queue', {
        name: props.queueName as string,
        security: props.security,
        accountId: props.accountId,
        alarmTopicArn: props.alarmTopicArn,
      });

    this.role = unconditionedServiceRole(this, 'role', `${props.name}-sqs`, 'apigateway.amazonaws.com');
    const sendPolicy = attachRolePolicy(this, 'send-policy', this.role, 'send-to-queue', [
      ...queueSend('SendToQueue', this.queue.arn),
      ...keyEncryptViaService('EncryptMessages', this.queue.kmsKeyArn, 'sqs', props.region),
    ]);

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.name,
      description: `POST ${props.path} into SQS`,
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySource: 'HEADER',
    });
    let parentId = this.api.rootResourceId;
    let resource: ApiGatewayResource | undefined;
    segments.forEach((segment, position) => {
      resource = new ApiGatewayResource(this, `resource-${position}`, { restApiId: this.api.id, parentId, pathPart: segment });
      parentId = resource.id;
    });
    const resourceId = (resource as ApiGatewayResource).id;

    const validator = new ApiGatewayRequestValidator(this, 'validator', { restApiId: this.api.id, name: 'body', validateRequestBody: true });
    const schemaJson = escapeTerraform(JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', ...props.requestSchema }));
    const model = new ApiGatewayModel(this, 'model', { restApiId: this.api.id, name: modelName, contentType: 'application/json', schema: schemaJson });

    const method = new ApiGatewayMethod(this, 'method', {
      restApiId: this.api.id,
      resourceId,
      httpMethod: 'POST',
      authorization: 'NONE',
      apiKeyRequired: true,
      requestValidatorId: validator.id,
      requestModels: { 'application/json': model.name },
    });
    const requestTemplate = sendMessageTemplate(this.queue.fifo);
    const integration = new ApiGatewayIntegration(this, 'integration', {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: 'AWS',
      integrationHttpMethod: 'POST',
      uri: `arn:aws:apigateway:${props.region}:sqs:path/${props.accountId}/${this.queue.name}`,
      credentials: this.role.arn,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': requestTemplate },
      // Only JSON bodies were validated, so anything else is refused (415) rather than passed through.
      passthroughBehavior: 'NEVER',
      dependsOn: [sendPolicy],
    });
    const responses = [
      { statusCode: '202', selectionPattern: '2\\d{2}', template: ACCEPTED_TEMPLATE },
      { statusCode: '500', selectionPattern: undefined, template: FAILED_TEMPLATE },
    ];
    const integrationResponses = responses.map(({ statusCode, selectionPattern, template }) => {
      const methodResponse = new ApiGatewayMethodResponse(this, `response-${statusCode}`, {
        restApiId: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode,
        responseModels: { 'application/json': 'Empty' },
      });
      return new ApiGatewayIntegrationResponse(this, `integration-response-${statusCode}`, {
        restApiId: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: methodResponse.statusCode,
        selectionPattern,
        responseTemplates: { 'application/json': template },
        dependsOn: [integration],
      });
    });
    const invalidBody = new ApiGatewayGatewayResponse(this, 'invalid-body', {
      restApiId: this.api.id,
      responseType: 'BAD_REQUEST_BODY',
      statusCode: '400',
      responseTemplates: { 'application/json': INVALID_BODY_TEMPLATE },
    });

    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      triggers: {
        redeployment: fingerprint({
          path: props.path,
          schemaJson,
          modelName,
          requestTemplate,
          responses,
          invalidBody: INVALID_BODY_TEMPLATE,
          queue: Token.isUnresolved(this.queue.name) ? 'reference' : this.queue.name,
        }),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [method, integration, ...integrationResponses, invalidBody, model, validator],
    });

    this.logGroup = new CloudwatchLogGroup(this, 'access-logs', secureLogGroup({ name: `/aws/apigateway/${props.name}/${stageName}/access` }, props.security));
    const accountLogging = props.manageAccountLogging ? this.accountLoggingRole(props.name) : undefined;
    this.stage = new ApiGatewayStage(
      this,
      'stage',
      secureApiStage(
        { restApiId: this.api.id, deploymentId: deployment.id, stageName, dependsOn: accountLogging ? [accountLogging] : undefined },
        this.logGroup.arn,
        ACCESS_LOG_FORMAT,
      ),
    );
    new ApiGatewayMethodSettings(this, 'method-settings', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      // Execution logs would land in a group API Gateway creates without key or retention; access logs cover requests.
      settings: { metricsEnabled: true, loggingLevel: 'OFF', dataTraceEnabled: false, throttlingBurstLimit: throttle.burstLimit, throttlingRateLimit: throttle.rateLimit },
    });

    this.apiKey = new ApiGatewayApiKey(this, 'api-key', { name: `${props.name}-key`, enabled: true });
    this.usagePlan = new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: `${props.name}-plan`,
      apiStages: [{ apiId: this.api.id, stage: this.stage.stageName }],
      throttleSettings: { burstLimit: throttle.burstLimit, rateLimit: throttle.rateLimit },
      quotaSettings: props.quota ? { limit: props.quota.limit, period: props.quota.period } : undefined,
    });
    new ApiGatewayUsagePlanKey(this, 'usage-plan-key', { keyId: this.apiKey.id, keyType: 'API_KEY', usagePlanId: this.usagePlan.id });
    this.invokeUrl = `${this.stage.invokeUrl}${props.path}`;
  }

  /** The account-wide role API Gateway writes logs with; AWS's managed policy is the documented one for it. */
  private accountLoggingRole(name: string): ApiGatewayAccount {
    const role = unconditionedServiceRole(this, 'logging-role', `${name}-logs`, 'apigateway.amazonaws.com');
    const attachment = new IamRolePolicyAttachment(this, 'logging-policy', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    });
    return new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: role.arn, dependsOn: [attachment] });
  }
}

/** SendMessage as a form post: the body, plus the caller's API key id and the request id as message attributes. */
function sendMessageTemplate(fifo: boolean): string {
  const parts = [
    'Action=SendMessage',
    'MessageBody=$util.urlEncode($input.body)',
    'MessageAttribute.1.Name=apiKeyId',
    'MessageAttribute.1.Value.DataType=String',
    'MessageAttribute.1.Value.StringValue=$util.urlEncode($context.identity.apiKeyId)',
    'MessageAttribute.2.Name=requestId',
    'MessageAttribute.2.Value.DataType=String',
    'MessageAttribute.2.Value.StringValue=$util.urlEncode($context.requestId)',
  ];
  // A FIFO queue orders per caller and deduplicates a retried request by its id.
  if (fifo) parts.push('MessageGroupId=$util.urlEncode($context.identity.apiKeyId)', 'MessageDeduplicationId=$util.urlEncode($context.requestId)');
  return parts.join('&');
}

function defaultModelName(segments: readonly string[]): string {
  const last = segments[segments.length - 1] ?? 'Body';
  return `${last.split(/[^A-Za-z0-9]+/).filter(Boolean).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}Request`;
}

function fingerprint(config: unknown): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex');
}

function escapeTerraform(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Keywords of later drafts anywhere in the schema, as JSON pointers; property names are not keywords. */
function laterDraftKeywords(schema: unknown, pointer: string): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  if (Array.isArray(schema)) return schema.flatMap((item, position) => laterDraftKeywords(item, `${pointer}/${position}`));
  return Object.entries(schema).flatMap(([key, value]) => {
    const here = LATER_DRAFT_KEYWORDS.includes(key) ? [`${pointer}/${key}`] : [];
    if (['properties', 'patternProperties', 'definitions', 'dependencies'].includes(key) && typeof value === 'object' && value !== null) {
      return [...here, ...Object.entries(value).flatMap(([name, sub]) => laterDraftKeywords(sub, `${pointer}/${key}/${name}`))];
    }
    if (['items', 'additionalItems', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key)) {
      return [...here, ...laterDraftKeywords(value, `${pointer}/${key}`)];
    }
    if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'number') return [...here, `${pointer}/${key} (a number; draft-04 takes true/false)`];
    return here;
  });
}

function validate(id: string, props: QueueIntakeApiProps): void {
  const problems: string[] = [];
  if (!/^[a-z0-9-]{1,54}$/.test(props.name)) problems.push(`name "${props.name}" must be 1-54 lowercase letters, digits or - (its role adds "-sqs")`);
  if (!/^(\/[A-Za-z0-9._-]+)+$/.test(props.path)) problems.push(`path "${props.path}" must be /segment[/segment...] of letters, digits, . _ -`);
  if (props.modelName !== undefined && !/^[A-Za-z0-9]+$/.test(props.modelName)) problems.push(`modelName "${props.modelName}" must be letters and digits`);
  if ((props.queue === undefined) === (props.queueName === undefined)) problems.push('give exactly one of queue and queueName');
  const stageName = props.stageName ?? 'live';
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) problems.push(`stageName "${stageName}" must be letters, digits, _ or -`);

  const schema = props.requestSchema;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || Object.keys(schema).length === 0) {
    problems.push('requestSchema must be a non-empty JSON Schema object');
  } else {
    const declared = schema.$schema;
    if (declared !== undefined && !/draft-04\/schema#?$/.test(String(declared))) problems.push(`requestSchema.$schema is ${String(declared)}; API Gateway validates draft-04 only`);
    const later = laterDraftKeywords(schema, '#');
    if (later.length > 0) problems.push(`requestSchema uses keywords that draft-04 does not have (API Gateway would ignore them): ${later.join(', ')}`);
    const refs = JSON.stringify(schema).match(/"\$ref":"(?!#)[^"]*"/g) ?? [];
    if (refs.length > 0) problems.push(`requestSchema refers outside itself (${refs.join(', ')}); inline the definitions`);
  }

  const throttle = props.throttle ?? { burstLimit: 20, rateLimit: 10 };
  if (!Number.isInteger(throttle.burstLimit) || throttle.burstLimit < 1) problems.push('throttle.burstLimit must be a whole number, 1 or more');
  if (!(throttle.rateLimit > 0)) problems.push('throttle.rateLimit must be above 0');
  if (props.quota && (!Number.isInteger(props.quota.limit) || props.quota.limit < 1)) problems.push('quota.limit must be a whole number, 1 or more');
  if (problems.length > 0) throw new Error(`QueueIntakeApi ${id}:\n- ${problems.join('\n- ')}`);
}
