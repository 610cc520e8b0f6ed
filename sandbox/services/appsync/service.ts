import { join } from 'node:path';
import type { SandboxContext, SandboxService } from '../../core/service';
import { ensureCertificate, type SandboxCertificate } from './certificate';
import type { GraphqlEngine } from './contracts';
import { appSyncAttributes, createGraphqlEngine, graphqlUrl, realtimeUrl, SANDBOX_CREDENTIALS, type AppSyncEngine, type SigningCredentials } from './engine';
import { AppSyncHttpServer } from './http-server';

/** Registry key of the {@link GraphqlEngine} (the real-time server uses it). */
export const APPSYNC_ENGINE = 'appsync.engine';
/** Registry key of {@link AppSyncServers}. */
export const APPSYNC_SERVERS = 'appsync.servers';

/** What the AppSync service serves, for the real-time server and the web console. */
export interface AppSyncServers {
  /** Attach WebSocket upgrades (`/graphql/realtime`) here. */
  readonly https: AppSyncHttpServer['https'];
  readonly http: AppSyncHttpServer['http'];
  /** The front end itself, e.g. for `addStaticRoute`. */
  readonly server: AppSyncHttpServer;
  readonly graphqlUrl: string;
  /** The same endpoint over plain HTTP, for curl. */
  readonly httpUrl: string;
  readonly realtimeUrl: string;
  /** The CA clients must trust (`NODE_EXTRA_CA_CERTS`). */
  readonly caCertPath: string;
}

/** Options of {@link appSyncService}. */
export interface AppSyncServiceOptions {
  /**
   * Address the servers bind to and the host in the API's `uris`. Ports and host must be known before
   * the model resolves references to `uris`, that is before any service starts, so they are fixed here.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** @default 4443 */
  readonly httpsPort?: number;
  /** @default 4080 */
  readonly httpPort?: number;
  /** Services that must start first; each must be registered with the Sandbox. @default ['cognito', 'dynamodb'] */
  readonly after?: readonly string[];
  /** Where the CA and server certificate are kept. @default '.sandbox/certs' */
  readonly certDir?: string;
  /** Key pairs accepted for AWS_IAM. @default the sandbox credentials */
  readonly credentials?: readonly SigningCredentials[];
  /** Limit on each resolver handler call, in ms. @default the runtime's */
  readonly resolverTimeoutMs?: number;
}

/** AppSync: the GraphQL engine over the platform's API, served over HTTPS and HTTP. */
export function appSyncService(options: AppSyncServiceOptions = {}): SandboxService {
  const host = options.host ?? '127.0.0.1';
  const httpsPort = options.httpsPort ?? 4443;
  const httpPort = options.httpPort ?? 4080;
  const endpoint = { host, httpsPort };
  let server: AppSyncHttpServer | undefined;
  let engine: AppSyncEngine | undefined;
  let certificate: SandboxCertificate | undefined;

  return {
    name: 'appsync',
    runs: ['aws_appsync_graphql_api', 'aws_appsync_datasource', 'aws_appsync_resolver', 'aws_appsync_function', 'aws_appsync_api_key'],
    attributes: appSyncAttributes(endpoint),
    after: options.after ?? ['cognito', 'dynamodb'],

    async start(context: SandboxContext): Promise<void> {
      const logger = context.logger('appsync');
      if (context.model.resources('aws_appsync_graphql_api').length === 0) {
        logger.info('The platform has no AppSync API; nothing to serve');
        return;
      }
      engine = createGraphqlEngine({
        model: context.model,
        registry: context.registry,
        logger,
        credentials: options.credentials ?? [SANDBOX_CREDENTIALS],
        ...(options.resolverTimeoutMs !== undefined ? { timeoutMs: options.resolverTimeoutMs } : {}),
      });
      for (const limitation of engine.unsupported) logger.warn(limitation);
      certificate = await ensureCertificate({ dir: options.certDir ?? join('.sandbox', 'certs'), hosts: [...new Set(['localhost', '127.0.0.1', '::1', host])] });
      if (certificate.generated) logger.info(`Generated a local CA for HTTPS: ${certificate.caCertPath}`);
      server = await AppSyncHttpServer.start({ engine, host, httpsPort, httpPort, tls: certificate, logger });
      context.registry.provide<GraphqlEngine>(APPSYNC_ENGINE, engine);
      context.registry.provide<AppSyncServers>(APPSYNC_SERVERS, {
        https: server.https,
        http: server.http,
        server,
        graphqlUrl: graphqlUrl(endpoint),
        httpUrl: `http://${host}:${httpPort}/graphql`,
        realtimeUrl: realtimeUrl(endpoint),
        caCertPath: certificate.caCertPath,
      });
      logger.info(`GraphQL API ${engine.api.name} at ${graphqlUrl(endpoint)}`);
    },

    async stop(): Promise<void> {
      const running = server;
      server = undefined;
      await running?.close();
    },

    describe(): readonly string[] {
      if (!engine || !certificate) return [];
      const keys = engine.api.apiKeys.map((key) => key.key);
      return [
        `AppSync API ${engine.api.name} (${engine.api.id})`,
        `  GraphQL:   ${graphqlUrl(endpoint)}  (plain HTTP: http://${host}:${httpPort}/graphql)`,
        `  Real-time: ${realtimeUrl(endpoint)}`,
        `  Auth:      ${engine.authModes().join(', ')}`,
        ...(engine.authModes().includes('AWS_IAM')
          ? [`  AWS_IAM:   sign for service appsync, region ${engine.region}, with access key ${SANDBOX_CREDENTIALS.accessKeyId} / secret ${SANDBOX_CREDENTIALS.secretAccessKey}`]
          : []),
        ...(keys.length > 0 ? [`  API keys:  ${keys.join(', ')}`] : []),
        `  TLS:       trust the local CA with NODE_EXTRA_CA_CERTS=${certificate.caCertPath}`,
        ...engine.unsupported.map((limitation) => `  Not emulated: ${limitation}`),
      ];
    },
  };
}
