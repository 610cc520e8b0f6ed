import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Sandbox, type CoverageLine } from './core/sandbox';
import type { LogSink } from './core/logger';
import type { CapabilityRegistry } from './core/service';
import { PlatformModel } from './model/platform-model';
import { seedProducts } from './seed/products';
import { seedProfiles } from './seed/profiles';
import { accountService } from './services/account/service';
import { APIGATEWAY_APIS, apiGatewayService, type ApiGatewayApis } from './services/apigateway';
import { APPSYNC_ENGINE, APPSYNC_SERVERS, appSyncService, type AppSyncServers } from './services/appsync/service';
import { appSyncRealtimeService } from './services/appsync/realtime-service';
import type { GraphqlEngine } from './services/appsync/contracts';
import { SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET_ACCESS_KEY } from './services/appsync/engine';
import { awsEnvironmentService } from './services/aws-environment/service';
import { endpointCapability } from './services/capabilities';
import { COGNITO_ENDPOINT, COGNITO_POOLS, cognitoClient, cognitoService, DEMO_USERS, type CognitoPools } from './services/cognito';
import { consoleService } from './services/console/service';
import { DYNAMODB_CLIENT, dynamoDbService } from './services/dynamodb';
import { eventBridgeService } from './services/eventbridge';
import { httpDataSourceService } from './services/http/service';
import { lambdaService } from './services/lambda';
import { sesService } from './services/ses';
import { messagingService } from './services/messaging';

/** Options of {@link startSandbox}. */
export interface SandboxStartOptions {
  /** The synthesized platform. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Start from empty data. @default false */
  readonly reset?: boolean;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** GraphQL over HTTPS and WSS. @default 4443 */
  readonly httpsPort?: number;
  /** GraphQL over plain HTTP and WS, for curl. @default 4080 */
  readonly httpPort?: number;
  /** Cognito endpoint. @default 9229 */
  readonly cognitoPort?: number;
  /** DynamoDB Local. @default 8000 */
  readonly dynamoDbPort?: number;
  /** EventBridge's API endpoint. @default 4010 */
  readonly eventBridgePort?: number;
  /** SQS, SNS and S3 (fauxqs). @default 4566 */
  readonly messagingPort?: number;
  /** SES (email capture). @default 4579 */
  readonly sesPort?: number;
  /** API Gateway REST APIs. @default 4567 */
  readonly apiGatewayPort?: number;
  /** Where services keep data. @default '.sandbox/data' */
  readonly dataRoot?: string;
  /** Where the generated CA and certificate live. @default '.sandbox/certs' */
  readonly certDir?: string;
  /** Seed the demo catalogue. @default true */
  readonly seed?: boolean;
  /** Log destination. @default stderr */
  readonly sink?: LogSink;
  /** Interval of real-time keep-alive messages. @default 60000 */
  readonly keepAliveMs?: number;
}

/** Everything a person or a test needs to talk to a running sandbox. */
export interface SandboxEndpoints {
  readonly graphqlUrl: string;
  readonly graphqlHttpUrl: string;
  readonly realtimeUrl: string;
  readonly consoleUrl: string;
  readonly cognitoEndpoint: string;
  readonly caCertPath: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly iam: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly demoUsers: readonly { readonly email: string; readonly password: string; readonly groups: readonly string[] }[];
  /** REST APIs (the partner intake) with their routes' URLs and API keys. */
  readonly restApis: readonly { readonly name: string; readonly urls: readonly string[]; readonly apiKeys: readonly { name: string; value: string }[] }[];
  /** EventBridge's endpoint for SDK clients (`AWS_ENDPOINT_URL_EVENTBRIDGE`). */
  readonly eventBridgeEndpoint: string;
}

/** A started sandbox. */
export interface RunningSandbox {
  readonly endpoints: SandboxEndpoints;
  readonly coverage: readonly CoverageLine[];
  /** The banner lines every service contributed. */
  readonly description: readonly string[];
  readonly engine: GraphqlEngine;
  /**
   * The capabilities services publish to each other, read-only: tests reach the services' inspectors through it
   * (`eventbridge.inspect`, `messaging.inspect`, `ses.outbox`, `apigateway.apis`, `dynamodb.endpoint`...).
   */
  readonly registry: Pick<CapabilityRegistry, 'find' | 'require'>;
  stop(): Promise<void>;
}

/** Starts every sandbox service over the synthesized platform, seeds the demo catalogue and returns its endpoints. */
export async function startSandbox(options: SandboxStartOptions = {}): Promise<RunningSandbox> {
  const model = new PlatformModel(options.outdir ?? 'cdktf.out');
  const host = options.host ?? '127.0.0.1';
  const services = [
    accountService(),
    dynamoDbService({ port: options.dynamoDbPort }),
    cognitoService({ port: options.cognitoPort }),
    eventBridgeService({ port: options.eventBridgePort }),
    messagingService({ port: options.messagingPort }),
    sesService({ port: options.sesPort }),
    // Functions get every local endpoint, so it starts after each service that has one.
    awsEnvironmentService(['dynamodb', 'eventbridge', 'messaging', 'ses']),
    lambdaService(),
    httpDataSourceService(),
    appSyncService({ host, httpsPort: options.httpsPort, httpPort: options.httpPort, certDir: options.certDir, after: ['cognito', 'dynamodb', 'lambda', 'http', 'eventbridge'] }),
    appSyncRealtimeService({ keepAliveMs: options.keepAliveMs }),
    apiGatewayService({ host, port: options.apiGatewayPort }),
    consoleService(),
  ];
  const sandbox = new Sandbox({ model, services, reset: options.reset, host, dataRoot: options.dataRoot, sink: options.sink });
  const coverage = sandbox.coverage();
  await sandbox.start();
  try {
    const engine = sandbox.registry.require<GraphqlEngine>(APPSYNC_ENGINE);
    const servers = sandbox.registry.require<AppSyncServers>(APPSYNC_SERVERS);
    const cognitoEndpoint = sandbox.registry.require<string>(COGNITO_ENDPOINT);
    const pool = onlyPool(sandbox.registry.require<CognitoPools>(COGNITO_POOLS));
    const endpoints: SandboxEndpoints = {
      graphqlUrl: servers.graphqlUrl,
      graphqlHttpUrl: servers.httpUrl,
      realtimeUrl: servers.realtimeUrl,
      consoleUrl: new URL('/console/', servers.graphqlUrl).toString(),
      cognitoEndpoint,
      caCertPath: servers.caCertPath,
      region: model.region,
      userPoolId: pool.id,
      userPoolClientId: pool.clientIds[0] as string,
      iam: { accessKeyId: SANDBOX_ACCESS_KEY_ID, secretAccessKey: SANDBOX_SECRET_ACCESS_KEY },
      demoUsers: DEMO_USERS.map((user) => ({ email: user.email, password: user.password, groups: user.groups })),
      restApis: restApis(sandbox.registry.find<ApiGatewayApis>(APIGATEWAY_APIS)),
      eventBridgeEndpoint: sandbox.registry.find<string>(endpointCapability('EVENTBRIDGE')) ?? '',
    };
    if (options.seed !== false) {
      await seedCatalogue(engine, endpoints);
      const table = model.resources('aws_dynamodb_table')[0];
      if (table) {
        const cognito = cognitoClient(endpoints.cognitoEndpoint, endpoints.region);
        try {
          const tableName = String(model.attribute(table, 'name'));
          await seedProfiles(cognito, sandbox.registry.require<DynamoDBClient>(DYNAMODB_CLIENT), { userPoolId: endpoints.userPoolId, tableName }, endpoints.demoUsers.map((user) => user.email));
        } finally {
          cognito.destroy();
        }
      }
    }
    return { endpoints, coverage, description: sandbox.describe(), engine, registry: sandbox.registry, stop: () => sandbox.stop() };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}

function restApis(apis: ApiGatewayApis | undefined): SandboxEndpoints['restApis'] {
  if (!apis) return [];
  const keys = apis.apiKeys.filter((key) => key.enabled).map((key) => ({ name: key.name, value: key.value }));
  return apis.apis.map((api) => ({
    name: api.name,
    urls: api.stages.flatMap((stage) => api.routes.map((route) => `${route.split(' ')[0]} ${stage.invokeUrl}${route.split(' ')[1] ?? ''}`)),
    apiKeys: keys,
  }));
}

function onlyPool(pools: CognitoPools) {
  const all = Object.values(pools);
  if (all.length !== 1) throw new Error(`The sandbox expects one user pool, the platform has ${all.length}`);
  return all[0] as (typeof all)[number];
}

/** Signs the demo admin in through Cognito and writes the catalogue through the API, as a person would. */
async function seedCatalogue(engine: GraphqlEngine, endpoints: SandboxEndpoints): Promise<void> {
  const admin = DEMO_USERS.find((user) => user.groups.includes('admin'));
  if (!admin) throw new Error('No demo admin to seed the catalogue with');
  const client = cognitoClient(endpoints.cognitoEndpoint, endpoints.region);
  try {
    const signIn = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: endpoints.userPoolClientId,
        AuthParameters: { USERNAME: admin.email, PASSWORD: admin.password },
      }),
    );
    const token = signIn.AuthenticationResult?.IdToken;
    if (!token) throw new Error(`Demo admin ${admin.email} could not sign in to seed the catalogue`);
    const caller = await engine.authenticate({ headers: { authorization: token }, method: 'POST', path: '/graphql', body: '', sourceIp: '127.0.0.1' });
    await seedProducts(engine, caller);
  } finally {
    client.destroy();
  }
}
