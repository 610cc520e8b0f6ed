import { createHash } from 'node:crypto';

// Well-formed, made-up values for the string attributes of AWS resources: ARNs of the right
// service and resource type, ids in each service's format, names and URLs. Made-up ids are
// derived from the resource's address, so the same stack always gets the same placeholders.

/** Where a placeholder resource lives. */
export interface AwsLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** The resource a placeholder attribute belongs to. */
export interface AwsResource {
  /** Resource type, e.g. `aws_dynamodb_table`. */
  readonly type: string;
  /** Logical name in the stack, e.g. `orders`. */
  readonly name: string;
  /** The resource's arguments, when it is known; only literal strings are used. */
  readonly config?: Record<string, unknown>;
}

type ArnScope = 'regional' | 'global' | 'no-account' | 'bare';
interface ArnShape {
  service: string;
  resource: (r: Shaped) => string;
  scope?: ArnScope;
}

// The pieces an ARN or a URL is built from.
interface Shaped {
  name: string;
  id: string;
  uuid: string;
  loc: AwsLocation;
}

const ARNS: Record<string, ArnShape> = {
  aws_acm_certificate: { service: 'acm', resource: (r) => `certificate/${r.uuid}` },
  aws_api_gateway_rest_api: { service: 'apigateway', resource: (r) => `/restapis/${apiId(r)}`, scope: 'no-account' },
  aws_apigatewayv2_api: { service: 'apigateway', resource: (r) => `/apis/${apiId(r)}`, scope: 'no-account' },
  aws_appsync_graphql_api: { service: 'appsync', resource: (r) => `apis/${r.id}` },
  aws_cloudfront_distribution: { service: 'cloudfront', resource: (r) => `distribution/${cloudFrontId(r)}`, scope: 'global' },
  aws_cloudwatch_event_api_destination: { service: 'events', resource: (r) => `api-destination/${r.name}/${r.uuid}` },
  aws_cloudwatch_event_archive: { service: 'events', resource: (r) => `archive/${r.name}` },
  aws_cloudwatch_event_bus: { service: 'events', resource: (r) => `event-bus/${r.name}` },
  aws_cloudwatch_event_connection: { service: 'events', resource: (r) => `connection/${r.name}/${r.uuid}` },
  aws_cloudwatch_event_rule: { service: 'events', resource: (r) => `rule/${r.name}` },
  aws_cloudwatch_log_group: { service: 'logs', resource: (r) => `log-group:${r.name}` },
  aws_cloudwatch_metric_alarm: { service: 'cloudwatch', resource: (r) => `alarm:${r.name}` },
  aws_cognito_identity_pool: { service: 'cognito-identity', resource: (r) => `identitypool/${r.loc.region}:${r.uuid}` },
  aws_cognito_user_pool: { service: 'cognito-idp', resource: (r) => `userpool/${userPoolId(r)}` },
  aws_dynamodb_table: { service: 'dynamodb', resource: (r) => `table/${r.name}` },
  aws_ecr_repository: { service: 'ecr', resource: (r) => `repository/${r.name}` },
  aws_iam_policy: { service: 'iam', resource: (r) => `policy/${r.name}`, scope: 'global' },
  aws_iam_role: { service: 'iam', resource: (r) => `role/${r.name}`, scope: 'global' },
  aws_iam_user: { service: 'iam', resource: (r) => `user/${r.name}`, scope: 'global' },
  aws_kinesis_firehose_delivery_stream: { service: 'firehose', resource: (r) => `deliverystream/${r.name}` },
  aws_kinesis_stream: { service: 'kinesis', resource: (r) => `stream/${r.name}` },
  aws_kms_alias: { service: 'kms', resource: (r) => (r.name.startsWith('alias/') ? r.name : `alias/${r.name}`) },
  aws_kms_key: { service: 'kms', resource: (r) => `key/${r.uuid}` },
  aws_lambda_event_source_mapping: { service: 'lambda', resource: (r) => `event-source-mapping:${r.uuid}` },
  aws_lambda_function: { service: 'lambda', resource: (r) => `function:${r.name}` },
  aws_lambda_layer_version: { service: 'lambda', resource: (r) => `layer:${r.name}:1` },
  aws_pipes_pipe: { service: 'pipes', resource: (r) => `pipe/${r.name}` },
  aws_route53_zone: { service: 'route53', resource: (r) => `hostedzone/${zoneId(r)}`, scope: 'bare' },
  aws_s3_bucket: { service: 's3', resource: (r) => r.name, scope: 'bare' },
  aws_scheduler_schedule: { service: 'scheduler', resource: (r) => `schedule/default/${r.name}` },
  aws_scheduler_schedule_group: { service: 'scheduler', resource: (r) => `schedule-group/${r.name}` },
  aws_secretsmanager_secret: { service: 'secretsmanager', resource: (r) => `secret:${r.name}-${r.id.slice(0, 6)}` },
  aws_sfn_activity: { service: 'states', resource: (r) => `activity:${r.name}` },
  aws_sfn_state_machine: { service: 'states', resource: (r) => `stateMachine:${r.name}` },
  aws_sns_topic: { service: 'sns', resource: (r) => r.name },
  aws_sqs_queue: { service: 'sqs', resource: (r) => r.name },
  aws_ssm_parameter: { service: 'ssm', resource: (r) => `parameter/${r.name.replace(/^\//, '')}` },
  aws_wafv2_web_acl: { service: 'wafv2', resource: (r) => `regional/webacl/${r.name}/${r.uuid}` },
};

// Services whose names differ from the resource type's prefix (longest prefix wins).
const SERVICES: Record<string, string> = {
  api_gateway: 'apigateway',
  apigatewayv2: 'apigateway',
  cloudwatch_event: 'events',
  cloudwatch_log: 'logs',
  cognito_identity: 'cognito-identity',
  cognito: 'cognito-idp',
  kinesis_firehose: 'firehose',
  sfn: 'states',
};

// Resource types whose `id` is not their name.
const IDS: Record<string, (r: Shaped) => string> = {
  aws_acm_certificate: (r) => arnFor('aws_acm_certificate', r),
  aws_apigatewayv2_api: apiId,
  aws_api_gateway_rest_api: apiId,
  aws_appsync_graphql_api: (r) => r.id,
  aws_cloudfront_distribution: cloudFrontId,
  aws_cognito_identity_pool: (r) => `${r.loc.region}:${r.uuid}`,
  aws_cognito_user_pool: userPoolId,
  aws_cognito_user_pool_client: (r) => r.id,
  aws_iam_policy: (r) => arnFor('aws_iam_policy', r),
  aws_kinesis_stream: (r) => arnFor('aws_kinesis_stream', r),
  aws_kms_key: (r) => r.uuid,
  aws_lambda_event_source_mapping: (r) => r.uuid,
  aws_lambda_layer_version: (r) => arnFor('aws_lambda_layer_version', r),
  aws_route53_zone: zoneId,
  aws_secretsmanager_secret: (r) => arnFor('aws_secretsmanager_secret', r),
  aws_security_group: (r) => `sg-${hex(r, 17)}`,
  aws_sfn_state_machine: (r) => arnFor('aws_sfn_state_machine', r),
  aws_sns_topic: (r) => arnFor('aws_sns_topic', r),
  aws_sqs_queue: (r) => sqsUrl(r),
  aws_subnet: (r) => `subnet-${hex(r, 17)}`,
  aws_vpc: (r) => `vpc-${hex(r, 17)}`,
};

// Attributes of one resource type that have a shape of their own.
const SPECIAL: Record<string, Record<string, (r: Shaped) => string>> = {
  aws_api_gateway_rest_api: {
    execution_arn: (r) => `arn:${r.loc.partition}:execute-api:${r.loc.region}:${r.loc.accountId}:${apiId(r)}`,
    root_resource_id: (r) => r.id.slice(10, 20),
  },
  aws_apigatewayv2_api: {
    api_endpoint: (r) => `https://${apiId(r)}.execute-api.${r.loc.region}.amazonaws.com`,
    execution_arn: (r) => `arn:${r.loc.partition}:execute-api:${r.loc.region}:${r.loc.accountId}:${apiId(r)}`,
  },
  aws_appsync_graphql_api: {
    'uris.GRAPHQL': (r) => `https://${r.id}.appsync-api.${r.loc.region}.amazonaws.com/graphql`,
    'uris.REALTIME': (r) => `wss://${r.id}.appsync-realtime-api.${r.loc.region}.amazonaws.com/graphql`,
  },
  aws_cloudfront_distribution: {
    domain_name: (r) => `d${r.id.slice(0, 13)}.cloudfront.net`,
    hosted_zone_id: () => 'Z2FDTNDATAQYW2',
  },
  aws_cognito_user_pool: {
    endpoint: (r) => `cognito-idp.${r.loc.region}.amazonaws.com/${userPoolId(r)}`,
  },
  aws_dynamodb_table: {
    stream_arn: (r) => `${arnFor('aws_dynamodb_table', r)}/stream/2024-01-01T00:00:00.000`,
    stream_label: () => '2024-01-01T00:00:00.000',
  },
  aws_kms_key: { key_id: (r) => r.uuid },
  aws_lambda_function: {
    invoke_arn: (r) => lambdaInvokeArn(r, arnFor('aws_lambda_function', r)),
    qualified_arn: (r) => `${arnFor('aws_lambda_function', r)}:1`,
    qualified_invoke_arn: (r) => lambdaInvokeArn(r, `${arnFor('aws_lambda_function', r)}:1`),
    version: () => '1',
  },
  aws_lambda_function_url: {
    function_url: (r) => `https://${r.id}.lambda-url.${r.loc.region}.on.aws/`,
    url_id: (r) => r.id,
  },
  aws_s3_bucket: {
    bucket_domain_name: (r) => `${r.name}.s3.amazonaws.com`,
    bucket_regional_domain_name: (r) => `${r.name}.s3.${r.loc.region}.amazonaws.com`,
  },
  aws_sqs_queue: { url: sqsUrl },
};

// Arguments that hold a resource's name, in the order they are tried.
const NAME_ARGUMENTS = ['name', 'function_name', 'bucket', 'table_name', 'queue_name', 'topic_name', 'role_name'];

// `*_arn` attributes whose prefix names the kind of resource they point at.
const ARN_PREFIXES: [RegExp, string][] = [
  [/(^|_)kms_key$/, 'aws_kms_key'],
  [/(^|_)role$/, 'aws_iam_role'],
  [/(^|_)topic$/, 'aws_sns_topic'],
  [/(^|_)queue$/, 'aws_sqs_queue'],
  [/(^|_)function$/, 'aws_lambda_function'],
  [/(^|_)table$/, 'aws_dynamodb_table'],
  [/(^|_)bucket$/, 'aws_s3_bucket'],
  [/(^|_)log_group$/, 'aws_cloudwatch_log_group'],
  [/(^|_)event_bus$/, 'aws_cloudwatch_event_bus'],
  [/(^|_)state_machine$/, 'aws_sfn_state_machine'],
  [/(^|_)user_pool$/, 'aws_cognito_user_pool'],
  [/(^|_)certificate$/, 'aws_acm_certificate'],
  [/(^|_)secret$/, 'aws_secretsmanager_secret'],
];

/**
 * A plausible value for a string attribute of an AWS resource. `attribute` is the attribute
 * name, or `attribute.key` for a key of a map attribute (`uris.GRAPHQL`).
 */
export function awsString(resource: AwsResource, attribute: string, loc: AwsLocation): string {
  const r = shape(resource, loc);
  const special = SPECIAL[resource.type]?.[attribute];
  if (special) return special(r);
  const leaf = attribute.split('.').pop() ?? attribute;
  // The name or id of a nested block (a table's key attribute, say) is not the resource's.
  if (attribute.includes('.') && (leaf === 'name' || leaf === 'id')) return `placeholder-${leaf}`;
  if (leaf === 'arn') return arnFor(resource.type, r);
  if (leaf === 'id') return (IDS[resource.type] ?? ((s: Shaped) => s.name))(r);
  if (/_arn$/.test(leaf)) {
    const target = ARN_PREFIXES.find(([re]) => re.test(leaf.slice(0, -4)))?.[1];
    return target ? arnFor(target, r) : arnFor(resource.type, r, leaf.slice(0, -4).replace(/_/g, '-'));
  }
  if (leaf === 'name' || leaf.endsWith('_name') || NAME_ARGUMENTS.includes(leaf)) return r.name;
  if (leaf === 'url' || leaf.endsWith('_url') || leaf === 'endpoint' || leaf.endsWith('_endpoint')) {
    return `https://${r.name}.${serviceOf(resource.type)}.${loc.region}.amazonaws.com`;
  }
  if (leaf === 'domain_name' || leaf.endsWith('_domain_name')) return `${r.name}.${serviceOf(resource.type)}.${loc.region}.amazonaws.com`;
  if (leaf.endsWith('_id')) return `${leaf.slice(0, -3).replace(/_/g, '-')}-${hex(r, 17)}`;
  if (leaf === 'json' || leaf === 'policy') return '{"Version":"2012-10-17","Statement":[]}';
  return `placeholder-${leaf.replace(/_/g, '-')}`;
}

/** Keys a map attribute is known to have (`uris` of an AppSync API: GRAPHQL and REALTIME). */
export function awsMapKeys(type: string, attribute: string): string[] {
  const prefix = `${attribute}.`;
  return Object.keys(SPECIAL[type] ?? {})
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
}

// Numeric attributes by name, with a value in the range AWS accepts for them.
const NUMBERS: [RegExp, number][] = [
  [/^memory_size$/, 128],
  [/^port$/, 443],
  [/(^|_)(timeout|seconds)$/, 30],
  [/(^|_)days$/, 7],
  [/(^|_)capacity$/, 5],
  [/^batch_size$/, 10],
  [/(^|_)count$/, 1],
];

/** Whether an attribute's name says it holds a number. */
export function looksNumeric(attribute: string): boolean {
  const leaf = attribute.split('.').pop() ?? attribute;
  return NUMBERS.some(([re]) => re.test(leaf));
}

/** A plausible number for a numeric attribute, in the range AWS accepts where the name tells it. */
export function awsNumber(attribute: string): number {
  const leaf = attribute.split('.').pop() ?? attribute;
  return NUMBERS.find(([re]) => re.test(leaf))?.[1] ?? 1;
}

/** The ARN of a resource of type `type`; `kind` names the resource part for types without a known shape. */
function arnFor(type: string, r: Shaped, kind?: string): string {
  const known = kind === undefined ? ARNS[type] : undefined;
  const service = known?.service ?? serviceOf(type);
  const resource = known ? known.resource(r) : `${kind ?? resourceKindOf(type)}/${r.name}`;
  const scope = known?.scope ?? 'regional';
  const region = scope === 'regional' || scope === 'no-account' ? r.loc.region : '';
  const account = scope === 'regional' || scope === 'global' ? r.loc.accountId : '';
  return `arn:${r.loc.partition}:${service}:${region}:${account}:${resource}`;
}

function serviceOf(type: string): string {
  const rest = type.replace(/^aws_/, '');
  const prefix = Object.keys(SERVICES)
    .filter((p) => rest === p || rest.startsWith(`${p}_`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? SERVICES[prefix] : rest.split('_')[0];
}

function resourceKindOf(type: string): string {
  const rest = type.replace(/^aws_/, '');
  const service = rest.split('_')[0];
  return rest.slice(service.length + 1).replace(/_/g, '-') || service;
}

function shape(resource: AwsResource, loc: AwsLocation): Shaped {
  const config = resource.config ?? {};
  const literal = NAME_ARGUMENTS.map((k) => config[k]).find(isLiteral);
  const prefix = isLiteral(config.name_prefix) ? config.name_prefix : undefined;
  const digest = createHash('sha256').update(`${resource.type}.${resource.name}`).digest('hex');
  return {
    name: literal ?? (prefix ? `${prefix}${digest.slice(0, 8)}` : `placeholder-${slug(resource.name)}`),
    id: base32(digest).slice(0, 26),
    uuid: `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`,
    loc,
  };
}

function apiId(r: Shaped): string {
  return r.id.slice(0, 10);
}

function cloudFrontId(r: Shaped): string {
  return `E${r.id.slice(0, 13).toUpperCase()}`;
}

function zoneId(r: Shaped): string {
  return `Z${r.id.slice(0, 20).toUpperCase()}`;
}

function userPoolId(r: Shaped): string {
  return `${r.loc.region}_${r.id.slice(0, 9).toUpperCase()}`;
}

function sqsUrl(r: Shaped): string {
  return `https://sqs.${r.loc.region}.amazonaws.com/${r.loc.accountId}/${r.name}`;
}

function lambdaInvokeArn(r: Shaped, functionArn: string): string {
  return `arn:${r.loc.partition}:apigateway:${r.loc.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

function hex(r: Shaped, length: number): string {
  return r.uuid.replace(/-/g, '').slice(0, length);
}

function isLiteral(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && !value.includes('${');
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'resource'
  );
}

function base32(hexDigest: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  for (let i = 0; i + 2 <= hexDigest.length; i += 2) out += alphabet[parseInt(hexDigest.slice(i, i + 2), 16) % 32];
  return out;
}
