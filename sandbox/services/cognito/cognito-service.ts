import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { resolve } from 'node:path';
import type { SandboxContext, SandboxService } from '../../core/service';
import type { AttributeProvider, ResourceRef } from '../../model/platform-model';
import { COGNITO_ENDPOINT, COGNITO_POOLS, COGNITO_VERIFIER, type CognitoPool } from './capabilities';
import { cognitoClient } from './client';
import { DEMO_USERS, seedUsers, type DemoUser } from './demo-users';
import { startCognitoLocal, urlHost, type CognitoLocalProcess } from './emulator';
import { EmulatorStore } from './emulator-store';
import { startGateway, type Gateway } from './gateway';
import { poolArn, provision } from './provision';
import { createTokenVerifier } from './verifier';

/** Options of {@link cognitoService}. */
export interface CognitoServiceOptions {
  /** Users created in every pool at start; `false` for none. @default DEMO_USERS */
  readonly demoUsers?: readonly DemoUser[] | false;
  /** Port of the Cognito endpoint, if free. @default 9229 (cognito-local's usual port) */
  readonly port?: number;
}

/**
 * Cognito user pools, app clients and groups on cognito-local, behind a gateway that adds SRP sign-in.
 * Publishes the endpoint, the pools and the token verifier AppSync uses for AMAZON_COGNITO_USER_POOLS.
 */
export function cognitoService(options: CognitoServiceOptions = {}): SandboxService {
  const ids = new Map<string, string>();
  let endpoint: string | undefined;
  let pools: CognitoPool[] = [];
  let emulator: CognitoLocalProcess | undefined;
  let gateway: Gateway | undefined;
  let client: CognitoIdentityProviderClient | undefined;

  const localId = (resource: ResourceRef): string => {
    const id = ids.get(resource.id);
    if (!id) throw new Error(`${resource.id} has no local id yet: the cognito service creates it when it starts`);
    return id;
  };
  const poolAttributes: AttributeProvider = (resource, attribute, model) => {
    if (attribute === 'id') return localId(resource);
    if (attribute === 'arn') return poolArn(model, localId(resource));
    // Terraform's endpoint is the issuer without its scheme: cognito-idp.<region>.amazonaws.com/<id>.
    if (attribute === 'endpoint') return `${(endpoint ?? '').replace(/^https?:\/\//, '')}/${localId(resource)}`;
    return undefined;
  };

  const stop = async () => {
    client?.destroy();
    client = undefined;
    await gateway?.stop();
    gateway = undefined;
    await emulator?.stop();
    emulator = undefined;
  };

  return {
    name: 'cognito',
    runs: ['aws_cognito_user_pool', 'aws_cognito_user_pool_client', 'aws_cognito_user_group'],
    attributes: {
      aws_cognito_user_pool: poolAttributes,
      aws_cognito_user_pool_client: (resource, attribute) => (attribute === 'id' ? localId(resource) : undefined),
      // Terraform's group id is `<user_pool_id>/<name>`.
      aws_cognito_user_group: (resource, attribute, model) =>
        attribute === 'id' ? `${String(model.attribute(resource, 'user_pool_id'))}/${String(model.attribute(resource, 'name'))}` : undefined,
    },

    async start(context: SandboxContext) {
      const logger = context.logger('cognito');
      const dir = resolve(context.dataDir('cognito'));
      const port = await context.port(options.port ?? 9229);
      const emulatorPort = await context.port();
      endpoint = `http://${urlHost(context.host)}:${port}`;
      try {
        const store = new EmulatorStore(dir);
        gateway = await startGateway({ host: context.host, port, upstream: `http://${urlHost(context.host)}:${emulatorPort}`, publicUrl: endpoint, store, logger });
        emulator = await startCognitoLocal({ dir, host: context.host, port: emulatorPort, issuerDomain: endpoint, logger: context.logger('cognito-local') });
        client = cognitoClient(endpoint, context.model.region);
        ids.clear();
        pools = await provision({ client, model: context.model, publicUrl: endpoint, logger, ids });
        if (options.demoUsers !== false) {
          for (const pool of pools) {
            await seedUsers(client, { poolId: pool.id, poolName: pool.name, groups: pool.groups, passwordPolicy: pool.passwordPolicy }, options.demoUsers ?? DEMO_USERS);
          }
        }
      } catch (error) {
        await stop();
        throw error;
      }
      context.registry.provide(COGNITO_ENDPOINT, endpoint);
      context.registry.provide(COGNITO_POOLS, Object.fromEntries(pools.map((pool) => [pool.name, pool])));
      context.registry.provide(COGNITO_VERIFIER, createTokenVerifier(pools));
      logger.info('ready', { endpoint, pools: pools.map((pool) => pool.id) });
    },

    stop,

    describe() {
      if (!endpoint) return [];
      const users = options.demoUsers === false ? [] : (options.demoUsers ?? DEMO_USERS);
      return [
        `Cognito      ${endpoint}  (cognito-local; USER_SRP_AUTH and USER_PASSWORD_AUTH)`,
        ...pools.flatMap((pool) => [
          `  user pool  ${pool.name}  id ${pool.id}`,
          ...Object.entries(pool.clients).map(([name, id]) => `  app client ${name}  id ${id}`),
        ]),
        ...users.map((user) => `  demo user  ${user.email} / ${user.password}  (${user.groups.join(', ')})`),
      ];
    },
  };
}
