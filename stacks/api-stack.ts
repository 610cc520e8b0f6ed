import { resolve } from 'node:path';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { AuthStack } from './auth-stack';
import { GraphqlApi } from './constructs/graphql-api';
import type { DataStack } from './data-stack';
import type { EventsStack } from './events-stack';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Props of {@link ApiStack}. */
export interface ApiStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly events: EventsStack;
}

/** Pattern 1, synchronous: the AppSync GraphQL API whose resolvers read and write DynamoDB directly. */
export class ApiStack extends PlatformStack {
  /** The API. */
  readonly graphql: GraphqlApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    const table = props.data.table;
    this.graphql = new GraphqlApi(this, 'graphql', {
      name: naming.resource('api'),
      schemaFile: resolve('schema.graphql'),
      userPoolId: props.auth.users.userPool.id,
      region: config.region,
      accountId: config.accountId,
      introspection: config.graphqlIntrospection,
      security: props.data.security,
      resolverEnvironment: { ORDERS_TABLE: table.name },
    });
    const api = this.graphql;
    const orders = api.addDynamoDbDataSource('orders_table', { tableName: table.name, tableArn: table.arn, kmsKeyArn: props.data.key.arn });
    const none = api.addNoneDataSource('none');
    const orderEvents = api.addEventBridgeDataSource('order_events', props.events.bus.arn);
    // Mutations write through the outbox, then publish with AppSync's EventBridge data source: no Lambda.
    const publishing = { dataSource: orders, functionDataSources: { publishEvents: orderEvents } };

    api.addUnitResolver({ field: 'Query.getOrder', dataSource: orders });
    api.addUnitResolver({ field: 'Query.listMyOrders', dataSource: orders });
    api.addUnitResolver({ field: 'Query.listOrders', dataSource: orders });
    api.addUnitResolver({ field: 'Query.getProduct', dataSource: orders });
    api.addUnitResolver({ field: 'Query.listProducts', dataSource: orders });
    api.addPipelineResolver({ field: 'Mutation.createOrder', ...publishing });
    api.addPipelineResolver({ field: 'Mutation.cancelOrder', ...publishing });
    api.addPipelineResolver({ field: 'Mutation.publishOrderUpdate', dataSource: orders });
    api.addUnitResolver({ field: 'Mutation.upsertProduct', dataSource: orders });
    api.addUnitResolver({ field: 'Subscription.onOrderUpdated', dataSource: none });

    new TerraformOutput(this, 'graphql_url', { value: api.graphqlUrl });
    new TerraformOutput(this, 'realtime_url', { value: api.realtimeUrl });
    new TerraformOutput(this, 'api_id', { value: api.api.id });
  }
}
