import { parseStringValue, parseTemplate } from '../../../scripts/terraform/expressions';
import { placeholderFor, placeholderForName, type ProducerScope } from '../../../scripts/terraform/placeholders';
import type { ProviderTypes } from '../../../scripts/terraform/schema';

const location = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };

// The slice of the AWS provider schema these tests touch, in `providers schema -json` types.
const types: ProviderTypes = {
  resources: {
    aws_dynamodb_table: ['object', { arn: 'string', name: 'string', read_capacity: 'number', stream_arn: 'string', attribute: ['set', ['object', { name: 'string', type: 'string' }]] }],
    aws_appsync_graphql_api: ['object', { id: 'string', arn: 'string', uris: ['map', 'string'] }],
    aws_lambda_function: ['object', { arn: 'string', invoke_arn: 'string', layers: ['list', 'string'], memory_size: 'number' }],
    aws_sqs_queue: ['object', { arn: 'string', url: 'string', id: 'string' }],
    aws_kms_key: ['object', { arn: 'string', key_id: 'string', id: 'string' }],
  },
  dataSources: {},
};

const resources: Record<string, Record<string, Record<string, unknown>>> = {
  aws_dynamodb_table: { orders: { name: 'orders-prod', hash_key: 'pk' } },
  aws_sqs_queue: { events: { name: '${var.prefix}-events' } },
  aws_lambda_function: { handler: { function_name: 'order-handler' } },
};

const scope: ProducerScope = { location, types, config: (mode, type, name) => (mode === 'managed' ? resources[type]?.[name] : undefined) };
const placeholder = (value: unknown, s: ProducerScope = scope) => placeholderFor(value, s);

describe('placeholder outputs', () => {
  it('gives an .arn a well-formed ARN of the resource type, named after the literal name', () => {
    expect(placeholder('${aws_dynamodb_table.orders.arn}')).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/orders-prod');
    expect(placeholder('${aws_lambda_function.handler.arn}')).toBe('arn:aws:lambda:eu-west-1:111122223333:function:order-handler');
  });

  it('makes up a name when the resource name is not a literal, and the same one every time', () => {
    const arn = placeholder('${aws_sqs_queue.events.arn}');
    expect(arn).toBe('arn:aws:sqs:eu-west-1:111122223333:placeholder-events');
    expect(placeholder('${aws_sqs_queue.events.arn}')).toBe(arn);
  });

  it('shapes ARNs by service: KMS keys by id, IAM without a region, S3 without region or account', () => {
    expect(placeholder('${aws_kms_key.main.arn}')).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(placeholder('${aws_iam_role.fn.arn}')).toBe('arn:aws:iam::111122223333:role/placeholder-fn');
    expect(placeholder('${aws_s3_bucket.assets.arn}')).toBe('arn:aws:s3:::placeholder-assets');
  });

  it('uses the KMS key id inside the key ARN', () => {
    const arn = placeholder('${aws_kms_key.main.arn}') as string;
    expect(arn.endsWith(`key/${placeholder('${aws_kms_key.main.key_id}')}`)).toBe(true);
  });

  it('falls back to the service named by the resource type for types without a known ARN shape', () => {
    expect(placeholder('${aws_xray_group.traces.arn}')).toBe('arn:aws:xray:eu-west-1:111122223333:group/placeholder-traces');
    expect(placeholder('${aws_cloudwatch_log_group.fn.arn}')).toBe('arn:aws:logs:eu-west-1:111122223333:log-group:placeholder-fn');
  });

  it('gives attributes with a shape of their own that shape', () => {
    expect(placeholder('${aws_dynamodb_table.orders.stream_arn}')).toBe(
      'arn:aws:dynamodb:eu-west-1:111122223333:table/orders-prod/stream/2024-01-01T00:00:00.000',
    );
    expect(placeholder('${aws_lambda_function.handler.invoke_arn}')).toBe(
      'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:order-handler/invocations',
    );
    expect(placeholder('${aws_sqs_queue.events.url}')).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/placeholder-events');
    expect(placeholder('${aws_cognito_user_pool.users.id}')).toMatch(/^eu-west-1_[A-Z2-7]{9}$/);
  });

  it('uses literal arguments of the producer as they are', () => {
    expect(placeholder('${aws_dynamodb_table.orders.name}')).toBe('orders-prod');
    expect(placeholder('${aws_dynamodb_table.orders.hash_key}')).toBe('pk');
  });

  it('gives names and ids plausible names', () => {
    expect(placeholder('${aws_sqs_queue.events.name}')).toBe('placeholder-events');
    expect(placeholder('${aws_lambda_function.handler.id}')).toBe('order-handler');
    expect(placeholder('${aws_appsync_graphql_api.api.id}')).toMatch(/^[a-z2-7]{26}$/);
  });

  it('types values from the provider schema: numbers, lists, maps', () => {
    expect(placeholder('${aws_dynamodb_table.orders.read_capacity}')).toBe(5);
    expect(placeholder('${aws_lambda_function.handler.memory_size}')).toBe(128);
    expect(placeholder('${aws_lambda_function.handler.layers}')).toEqual([expect.any(String)]);
    expect(placeholder('${aws_dynamodb_table.orders.attribute}')).toEqual([{ name: 'placeholder-name', type: 'placeholder-type' }]);
  });

  it('gives AppSync URIs both endpoints, as a map or one key at a time', () => {
    const uris = placeholder('${aws_appsync_graphql_api.api.uris}') as Record<string, string>;
    expect(Object.keys(uris).sort()).toEqual(['GRAPHQL', 'REALTIME']);
    expect(uris.GRAPHQL).toMatch(/^https:\/\/[a-z2-7]{26}\.appsync-api\.eu-west-1\.amazonaws\.com\/graphql$/);
    expect(placeholder('${aws_appsync_graphql_api.api.uris["GRAPHQL"]}')).toBe(uris.GRAPHQL);
    expect(placeholder('${aws_appsync_graphql_api.api.uris.REALTIME}')).toMatch(/^wss:\/\//);
  });

  it('guesses types from attribute names without a schema', () => {
    const untyped: ProducerScope = { location };
    expect(placeholder('${aws_lambda_function.fn.timeout}', untyped)).toBe(30);
    expect(placeholder('${aws_vpc.main.subnet_ids}', untyped)).toEqual([expect.stringMatching(/^subnet-[0-9a-f]{17}$/)]);
    expect(placeholder('${aws_appsync_graphql_api.api.uris}', untyped)).toEqual({ GRAPHQL: expect.any(String), REALTIME: expect.any(String) });
    expect(placeholder('${aws_sqs_queue.q.fifo_enabled}', untyped)).toBe(true);
  });

  it('keeps literals, lists and objects, filling in each expression', () => {
    expect(placeholder(42)).toBe(42);
    expect(placeholder('plain')).toBe('plain');
    expect(placeholder(['${aws_dynamodb_table.orders.name}', 'x'])).toEqual(['orders-prod', 'x']);
    expect(placeholder({ table: '${aws_dynamodb_table.orders.name}', '//': 'metadata' })).toEqual({ table: 'orders-prod' });
  });

  it('fills in interpolations inside a template string', () => {
    expect(placeholder('https://${aws_appsync_graphql_api.api.id}.example.com/${aws_dynamodb_table.orders.name}')).toMatch(
      /^https:\/\/[a-z2-7]{26}\.example\.com\/orders-prod$/,
    );
  });

  it('evaluates the functions cdktf writes around references', () => {
    expect(placeholder('${lookup(aws_appsync_graphql_api.api.uris, "GRAPHQL", "")}')).toMatch(/^https:\/\//);
    expect(placeholder('${join(",", [aws_dynamodb_table.orders.name, "b"])}')).toBe('orders-prod,b');
    expect(placeholder('${tolist(aws_lambda_function.handler.layers)}')).toHaveLength(1);
    expect(placeholder('${element(aws_lambda_function.handler.layers, 0)}')).toEqual(expect.any(String));
    expect(placeholder('${length(aws_lambda_function.handler.layers)}')).toBe(1);
    expect(placeholder('${jsonencode({a = 1})}')).toBe('"placeholder"');
    expect(placeholder('${aws_dynamodb_table.orders[*].name}')).toEqual(['orders-prod']);
  });

  it('answers the data sources the provider answers locally from the stack location', () => {
    expect(placeholder('${data.aws_region.current.name}')).toBe('eu-west-1');
    expect(placeholder('${data.aws_caller_identity.current.account_id}')).toBe('111122223333');
    expect(placeholder('arn:${data.aws_partition.current.partition}:s3:::x')).toBe('arn:aws:s3:::x');
  });

  it('passes on outputs the producer reads from a stack further upstream', () => {
    const passing: ProducerScope = { location, remoteOutput: (ds, o) => (ds === 'up' && o === 'table' ? 'upstream-table' : undefined) };
    expect(placeholder('${data.terraform_remote_state.up.outputs.table}', passing)).toBe('upstream-table');
    expect(placeholder('${data.terraform_remote_state.up.outputs.missing}', passing)).toBe('placeholder');
  });

  it('makes a string of what it cannot read', () => {
    expect(placeholder('${var.prefix}')).toBe('placeholder');
    expect(placeholder('${[for s in var.x : s]}')).toBe('placeholder');
  });

  it('guesses from the name alone for outputs of stacks it does not know', () => {
    expect(placeholderForName('queue_url', location)).toMatch(/^https:\/\//);
    expect(placeholderForName('table_arns', location)).toEqual([expect.stringMatching(/^arn:aws:/)]);
    expect(placeholderForName('retention_days', location)).toBe(7);
    expect(placeholderForName('cross-stack-output-aws_kms_keykeyarn', location)).toMatch(/^arn:aws:/);
  });
});

describe('template parsing', () => {
  it('splits literal text from interpolations and keeps escaped ones literal', () => {
    expect(parseTemplate('a-${x.y.z}-$${not}-b')).toEqual([{ text: 'a-' }, { expr: 'x.y.z' }, { text: '-${not}-b' }]);
  });

  it('finds the end of an interpolation past braces and quotes inside it', () => {
    expect(parseTemplate('${jsonencode({ a = "}" })}!')).toEqual([{ expr: 'jsonencode({ a = "}" })' }, { text: '!' }]);
  });

  it('parses references with index, key and splat steps', () => {
    expect(parseStringValue('${data.aws_iam_policy_document.doc.statement[0].sid}')).toEqual({
      kind: 'ref',
      root: ['data', 'aws_iam_policy_document', 'doc'],
      steps: [{ attr: 'statement' }, { index: 0 }, { attr: 'sid' }],
    });
    expect(parseStringValue('${aws_sqs_queue.q[*].arn}')).toEqual({ kind: 'ref', root: ['aws_sqs_queue', 'q'], steps: [{ splat: true }, { attr: 'arn' }] });
    expect(parseStringValue('${aws_appsync_graphql_api.api.uris["GRAPHQL"]}')).toEqual({
      kind: 'ref',
      root: ['aws_appsync_graphql_api', 'api'],
      steps: [{ attr: 'uris' }, { index: 'GRAPHQL' }],
    });
  });
});
