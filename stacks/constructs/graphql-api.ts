import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppsyncDatasource } from '@cdktf/provider-aws/lib/appsync-datasource';
import { AppsyncFunction } from '@cdktf/provider-aws/lib/appsync-function';
import { AppsyncGraphqlApi } from '@cdktf/provider-aws/lib/appsync-graphql-api';
import { AppsyncResolver } from '@cdktf/provider-aws/lib/appsync-resolver';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import type { GraphQLSchema } from 'graphql';
import { hasField, parseAppSyncSchema, rootFieldCoordinates } from '../lib/appsync-schema';
import { keyUseViaService, logWrite, putEvents, tableReadWrite } from '../lib/grants';
import { ServiceRole } from '../lib/iam';
import { applyEnvironment, bundleResolver, escapeTerraformTemplate } from '../lib/resolver-bundle';
import { secureLogGroup, type SecurityContext } from './secure-defaults';

const APPSYNC_JS = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

/** Props of {@link GraphqlApi}. */
export interface GraphqlApiProps {
  /** API name, from the naming helper. */
  readonly name: string;
  /** Path of the SDL schema file. */
  readonly schemaFile: string;
  /** Folder of resolver sources: `Type.field.ts` for a unit resolver, `Type.field/` for a pipeline. @default 'resolvers' */
  readonly resolversDir?: string;
  /** Cognito user pool that signs in web and mobile users (the default auth mode). */
  readonly userPoolId: string;
  readonly region: string;
  readonly accountId: string;
  /** Key for the API's log group; retention from config. */
  readonly security: SecurityContext;
  /** Values for the resolvers' `__ENV_<NAME>__` placeholders, e.g. table names. @default {} */
  readonly resolverEnvironment?: Readonly<Record<string, string>>;
  /** Keep GraphQL introspection on. @default true */
  readonly introspection?: boolean;
  /** Deepest query nesting accepted. @default 10 */
  readonly queryDepthLimit?: number;
}

/** A DynamoDB table a data source reads and writes. */
export interface TableDataSourceProps {
  readonly tableName: string;
  readonly tableArn: string;
  /** The table's customer-managed key; the data source role may use it only through DynamoDB. */
  readonly kmsKeyArn: string;
}

/** Where a unit resolver gets its data. */
export interface UnitResolverProps {
  /** `Type.field`; the code is `<resolversDir>/Type.field.ts`. */
  readonly field: string;
  readonly dataSource: AppsyncDatasource;
}

/** A pipeline: `<resolversDir>/Type.field/index.ts` runs before and after the numbered function files. */
export interface PipelineResolverProps {
  /** `Type.field`. */
  readonly field: string;
  /** Data source of every function not named in `functionDataSources`. */
  readonly dataSource: AppsyncDatasource;
  /** Per-function data source, by function name (the file name without its number). @default {} */
  readonly functionDataSources?: Readonly<Record<string, AppsyncDatasource>>;
}

/**
 * An AppSync GraphQL API: Cognito user pools by default, IAM for backend callers, field-level ERROR logs
 * into an encrypted log group with retention, X-Ray tracing, and APPSYNC_JS resolvers bundled from
 * `resolvers/`. A resolver wired to a field the schema lacks, or a root field left without a resolver,
 * fails the synth.
 */
export class GraphqlApi extends Construct {
  /** The API. */
  readonly api: AppsyncGraphqlApi;
  /** The parsed schema, for checks. */
  readonly schema: GraphQLSchema;
  /** Log group AppSync writes to. */
  readonly logGroup: CloudwatchLogGroup;
  /** HTTPS GraphQL endpoint. */
  readonly graphqlUrl: string;
  /** WebSocket endpoint for subscriptions. */
  readonly realtimeUrl: string;
  private readonly props: GraphqlApiProps;
  private readonly resolversDir: string;
  private readonly resolvedFields = new Set<string>();

  constructor(scope: Construct, id: string, props: GraphqlApiProps) {
    super(scope, id);
    this.props = props;
    this.resolversDir = resolve(props.resolversDir ?? 'resolvers');
    const sdl = readFileSync(props.schemaFile, 'utf8');
    this.schema = parseAppSyncSchema(sdl);

    const loggingRole = new ServiceRole(this, 'logging-role', {
      name: `${props.name}-logs`,
      service: 'appsync.amazonaws.com',
      sourceAccount: props.accountId,
      sourceArn: `arn:aws:appsync:${props.region}:${props.accountId}:apis/*`,
    });
    this.api = new AppsyncGraphqlApi(this, 'api', {
      name: props.name,
      schema: sdl,
      authenticationType: 'AMAZON_COGNITO_USER_POOLS',
      userPoolConfig: { userPoolId: props.userPoolId, awsRegion: props.region, defaultAction: 'ALLOW' },
      additionalAuthenticationProvider: [{ authenticationType: 'AWS_IAM' }],
      logConfig: { fieldLogLevel: 'ERROR', cloudwatchLogsRoleArn: loggingRole.role.arn, excludeVerboseContent: true },
      xrayEnabled: true,
      introspectionConfig: props.introspection === false ? 'DISABLED' : 'ENABLED',
      queryDepthLimit: props.queryDepthLimit ?? 10,
      visibility: 'GLOBAL',
    });
    this.logGroup = new CloudwatchLogGroup(
      this,
      'logs',
      secureLogGroup({ name: `/aws/appsync/apis/${this.api.id}` }, props.security),
    );
    loggingRole.grant('write-api-logs', logWrite('WriteApiLogs', this.logGroup.arn));
    this.graphqlUrl = this.api.uris.lookup('GRAPHQL');
    this.realtimeUrl = this.api.uris.lookup('REALTIME');

    this.node.addValidation({
      validate: () =>
        rootFieldCoordinates(this.schema)
          .filter((field) => !this.resolvedFields.has(field))
          .map((field) => `${field} has no resolver; AppSync would answer it with null`),
    });
  }

  /** A data source that reads and writes one DynamoDB table through its own least-privilege role. */
  addDynamoDbDataSource(name: string, table: TableDataSourceProps): AppsyncDatasource {
    const role = this.dataSourceRole(name);
    role.grant('table-access', [
      ...tableReadWrite('TableItems', { arn: table.tableArn }),
      ...keyUseViaService('TableKey', table.kmsKeyArn, 'dynamodb', this.props.region),
    ]);
    return new AppsyncDatasource(this, `ds-${name}`, {
      apiId: this.api.id,
      name,
      type: 'AMAZON_DYNAMODB',
      serviceRoleArn: role.role.arn,
      dynamodbConfig: { tableName: table.tableName, region: this.props.region },
    });
  }

  /** A data source that puts events on one EventBridge bus, through a role allowed exactly that. */
  addEventBridgeDataSource(name: string, busArn: string): AppsyncDatasource {
    const role = this.dataSourceRole(name);
    role.grant('put-events', putEvents('PutEventsOnBus', busArn));
    return new AppsyncDatasource(this, `ds-${name}`, {
      apiId: this.api.id,
      name,
      type: 'AMAZON_EVENTBRIDGE',
      serviceRoleArn: role.role.arn,
      eventBridgeConfig: { eventBusArn: busArn },
    });
  }

  /** A NONE data source: local resolvers, e.g. subscription filters and pass-through mutations. */
  addNoneDataSource(name: string): AppsyncDatasource {
    return new AppsyncDatasource(this, `ds-${name}`, { apiId: this.api.id, name, type: 'NONE' });
  }

  /** Wires `resolvers/Type.field.ts` as a unit resolver. */
  addUnitResolver(props: UnitResolverProps): AppsyncResolver {
    const [typeName, fieldName] = this.claimField(props.field);
    const entry = join(this.resolversDir, `${props.field}.ts`);
    if (!existsSync(entry)) throw new Error(`Resolver for ${props.field}: ${entry} does not exist`);
    return new AppsyncResolver(this, `resolver-${props.field}`, {
      apiId: this.api.id,
      type: typeName,
      field: fieldName,
      kind: 'UNIT',
      dataSource: props.dataSource.name,
      runtime: APPSYNC_JS,
      code: this.code(entry),
    });
  }

  /** Wires `resolvers/Type.field/` as a pipeline: `index.ts` plus functions `1-name.ts`, `2-name.ts`... in order. */
  addPipelineResolver(props: PipelineResolverProps): AppsyncResolver {
    const [typeName, fieldName] = this.claimField(props.field);
    const folder = join(this.resolversDir, props.field);
    const steps = pipelineSteps(folder, props.field);
    const overrides = props.functionDataSources ?? {};
    const unknown = Object.keys(overrides).filter((name) => !steps.some((step) => step.name === name));
    if (unknown.length > 0) {
      throw new Error(`Pipeline ${props.field}: functionDataSources names ${unknown.join(', ')}, which are not in ${folder}`);
    }
    const functions = steps.map(
      (step) =>
        new AppsyncFunction(this, `function-${props.field}-${step.name}`, {
          apiId: this.api.id,
          name: `${typeName}_${fieldName}_${step.name}`,
          dataSource: (overrides[step.name] ?? props.dataSource).name,
          runtime: APPSYNC_JS,
          code: this.code(step.file),
        }),
    );
    return new AppsyncResolver(this, `resolver-${props.field}`, {
      apiId: this.api.id,
      type: typeName,
      field: fieldName,
      kind: 'PIPELINE',
      pipelineConfig: { functions: functions.map((fn) => fn.functionId) },
      runtime: APPSYNC_JS,
      code: this.code(join(folder, 'index.ts')),
    });
  }

  private claimField(field: string): [string, string] {
    if (!hasField(this.schema, field)) {
      throw new Error(`Resolver for ${field}: the schema has no field ${field}`);
    }
    if (this.resolvedFields.has(field)) throw new Error(`Resolver for ${field}: the field already has a resolver`);
    this.resolvedFields.add(field);
    return field.split('.') as [string, string];
  }

  private code(entry: string): string {
    return applyEnvironment(escapeTerraformTemplate(bundleResolver(entry)), this.props.resolverEnvironment ?? {}, entry);
  }

  private dataSourceRole(name: string): ServiceRole {
    return new ServiceRole(this, `ds-role-${name}`, {
      name: `${this.props.name}-ds-${name}`,
      service: 'appsync.amazonaws.com',
      sourceAccount: this.props.accountId,
      sourceArn: this.api.arn,
    });
  }
}

/** One pipeline function source file. */
export interface PipelineStep {
  readonly name: string;
  readonly file: string;
}

/** The numbered function files of a pipeline folder, in order; a folder without them is an error. */
export function pipelineSteps(folder: string, field: string): PipelineStep[] {
  if (!existsSync(join(folder, 'index.ts'))) throw new Error(`Pipeline ${field}: ${join(folder, 'index.ts')} does not exist`);
  const files = readdirSync(folder).filter((file) => file !== 'index.ts' && file.endsWith('.ts'));
  const problems = files.filter((file) => !/^\d+-[a-zA-Z][a-zA-Z0-9]*\.ts$/.test(file));
  if (problems.length > 0) {
    throw new Error(`Pipeline ${field}: function files must be named <number>-<name>.ts, not ${problems.join(', ')}`);
  }
  const steps = files
    .map((file) => ({ order: Number.parseInt(file, 10), name: file.replace(/^\d+-/, '').replace(/\.ts$/, ''), file: join(folder, file) }))
    .sort((a, b) => a.order - b.order);
  const orders = steps.map((step) => step.order);
  if (new Set(orders).size !== orders.length) throw new Error(`Pipeline ${field}: two functions share a number`);
  if (steps.length === 0) throw new Error(`Pipeline ${field}: ${folder} has no function files`);
  return steps.map(({ name, file }) => ({ name, file }));
}
