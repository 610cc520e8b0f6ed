import { AppsyncGraphqlApi } from '@cdktf/provider-aws/lib/appsync-graphql-api';
import { readFileSync } from 'node:fs';
import { parseAppSyncSchema, rootFieldCoordinates } from '../../stacks/lib/appsync-schema';
import { onlyResource, policyDocuments, resourcesOf, synthPlatform } from './synth';

describe('ApiStack', () => {
  const { api } = synthPlatform('local');
  const resolvers = resourcesOf(api.doc, 'aws_appsync_resolver');
  const functions = resourcesOf(api.doc, 'aws_appsync_function');

  it('authenticates with the Cognito user pool by default and IAM for backend callers', () => {
    expect(api.json).toHaveResourceWithProperties(AppsyncGraphqlApi, {
      name: 'orders-local-api',
      authentication_type: 'AMAZON_COGNITO_USER_POOLS',
      additional_authentication_provider: [{ authentication_type: 'AWS_IAM' }],
      xray_enabled: true,
    });
    const graphql = onlyResource(api.doc, 'aws_appsync_graphql_api');
    expect(graphql.user_pool_config).toMatchObject({ aws_region: 'us-east-1', default_action: 'ALLOW' });
    expect(String((graphql.user_pool_config as { user_pool_id: string }).user_pool_id)).toMatch(/terraform_remote_state/);
  });

  it('logs field errors to an encrypted log group with retention', () => {
    const graphql = onlyResource(api.doc, 'aws_appsync_graphql_api');
    expect(graphql.log_config).toMatchObject({ field_log_level: 'ERROR', exclude_verbose_content: true });
    const logs = onlyResource(api.doc, 'aws_cloudwatch_log_group');
    expect(logs.name).toMatch(/^\/aws\/appsync\/apis\/\$\{aws_appsync_graphql_api\..+\.id\}$/);
    expect(logs.retention_in_days).toBe(7);
    expect(String(logs.kms_key_id)).toMatch(/terraform_remote_state/);
  });

  it('turns introspection off in prod', () => {
    expect(onlyResource(api.doc, 'aws_appsync_graphql_api').introspection_config).toBe('ENABLED');
    expect(onlyResource(synthPlatform('prod').api.doc, 'aws_appsync_graphql_api').introspection_config).toBe('DISABLED');
  });

  it('resolves every root field of the schema with an APPSYNC_JS resolver', () => {
    const schema = parseAppSyncSchema(readFileSync('schema.graphql', 'utf8'));
    const wired = resolvers.map((resolver) => `${resolver.type}.${resolver.field}`).sort();
    expect(wired).toEqual(rootFieldCoordinates(schema).sort());
    for (const code of [...resolvers, ...functions]) {
      expect(code.runtime).toEqual({ name: 'APPSYNC_JS', runtime_version: '1.0.0' });
    }
  });

  it('wires the mutations that write more than one item as pipelines of numbered functions', () => {
    const pipelines = resolvers.filter((resolver) => resolver.kind === 'PIPELINE').map((resolver) => resolver.field).sort();
    expect(pipelines).toEqual(['cancelOrder', 'createOrder', 'publishOrderUpdate']);
    expect(functions.map((fn) => fn.name).sort()).toEqual([
      'Mutation_cancelOrder_clearOutbox',
      'Mutation_cancelOrder_loadOrder',
      'Mutation_cancelOrder_markCancelled',
      'Mutation_cancelOrder_publishEvents',
      'Mutation_createOrder_clearOutbox',
      'Mutation_createOrder_loadCatalog',
      'Mutation_createOrder_loadExistingOrder',
      'Mutation_createOrder_publishEvents',
      'Mutation_createOrder_writeOrder',
      'Mutation_publishOrderUpdate_applyStatus',
      'Mutation_publishOrderUpdate_loadOrder',
    ]);
  });

  it('publishes events through an EventBridge data source whose role may only put events on the bus', () => {
    const dataSource = resourcesOf(api.doc, 'aws_appsync_datasource').find((ds) => ds.type === 'AMAZON_EVENTBRIDGE') as Record<string, unknown>;
    expect(dataSource.name).toBe('order_events');
    expect(String((dataSource.event_bridge_config as { event_bus_arn: string }).event_bus_arn)).toMatch(/terraform_remote_state\.cross-stack-reference-input-events/);
    const publishers = functions.filter((fn) => String(fn.name).endsWith('_publishEvents'));
    expect(publishers).toHaveLength(2);
    for (const fn of publishers) expect(String(fn.data_source)).toMatch(/aws_appsync_datasource\.graphql_ds-order_events/);
    const statements = Object.values(policyDocuments(api.doc)).flatMap((doc) => doc.statement);
    expect(statements.find((statement) => statement.sid === 'PutEventsOnBus')).toMatchObject({ actions: ['events:PutEvents'] });
  });

  it('deploys bundled ESM with the table name filled in and JavaScript templates escaped for Terraform', () => {
    const createOrderCatalog = functions.find((fn) => fn.name === 'Mutation_createOrder_loadCatalog') as { code: string };
    expect(createOrderCatalog.code).toContain('from "@aws-appsync/utils"');
    expect(createOrderCatalog.code).not.toContain('__ENV_');
    expect(createOrderCatalog.code).toMatch(/\$\{data\.terraform_remote_state\.[^}]+\.outputs\.[^}]+\}/);
    // Every other `${` is a JavaScript template literal, which Terraform must see as `$${`.
    const unescaped = [...createOrderCatalog.code.matchAll(/(^|[^$])\$\{([^}]*)\}/g)].map((match) => match[2]);
    expect(unescaped.every((expression) => expression?.startsWith('data.terraform_remote_state.'))).toBe(true);
  });

  it('gives the table data source a role that only AppSync for this API can assume, with item access to that table', () => {
    const dataSource = resourcesOf(api.doc, 'aws_appsync_datasource').find((ds) => ds.type === 'AMAZON_DYNAMODB') as Record<string, unknown>;
    expect(dataSource.dynamodb_config).toMatchObject({ region: 'us-east-1' });
    const documents = Object.values(policyDocuments(api.doc)).flatMap((doc) => doc.statement);
    const read = documents.find((statement) => statement.sid === 'TableItemsRead');
    const write = documents.find((statement) => statement.sid === 'TableItemsWrite');
    expect(read?.actions).toEqual(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem']);
    expect(read?.resources).toHaveLength(2);
    expect(String((read?.resources as string[])[1])).toMatch(/\/index\/\*$/);
    expect(write?.actions).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']);
    expect(write?.resources).toHaveLength(1);
    const key = documents.find((statement) => statement.sid === 'TableKey');
    expect(key?.condition).toEqual([{ test: 'StringEquals', variable: 'kms:ViaService', values: ['dynamodb.us-east-1.amazonaws.com'] }]);
    const trust = documents.filter((statement) => (statement.actions as string[]).includes('sts:AssumeRole'));
    for (const statement of trust) {
      expect(statement.principals).toEqual([{ type: 'Service', identifiers: ['appsync.amazonaws.com'] }]);
      expect(statement.condition).toContainEqual({ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['000000000000'] });
    }
  });

  it('outputs the GraphQL and real-time endpoints', () => {
    expect(Object.keys(api.doc.output ?? {})).toEqual(expect.arrayContaining(['graphql_url', 'realtime_url', 'api_id']));
  });
});
