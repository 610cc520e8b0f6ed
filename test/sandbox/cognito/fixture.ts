import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import type { LogSink } from '../../../sandbox/core/logger';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { cognitoService, type CognitoServiceOptions } from '../../../sandbox/services/cognito';

export const POOL_NAME = 'orders-test-users';
export const APP_CLIENT = `${POOL_NAME}-app`;
/** A second client that, unlike the app client, allows SRP only. */
export const SRP_ONLY_CLIENT = `${POOL_NAME}-srp-only`;

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Writes a `cdktf.out`-like folder: an `auth` stack shaped as `UserDirectory` synthesizes it (pool,
 * public app client, admin and customer groups) plus an SRP-only client, and an `api` stack whose
 * GraphQL API reads the pool id through remote state, as the real API stack does.
 */
export function writePlatform(outdir: string): string {
  const poolRef = '${aws_cognito_user_pool.users_pool.id}';
  const client = (name: string, flows: string[]) => ({
    name,
    user_pool_id: poolRef,
    generate_secret: false,
    explicit_auth_flows: flows,
    prevent_user_existence_errors: 'ENABLED',
    enable_token_revocation: true,
    access_token_validity: 60,
    id_token_validity: 60,
    refresh_token_validity: 30,
    token_validity_units: [{ access_token: 'minutes', id_token: 'minutes', refresh_token: 'days' }],
    read_attributes: ['email', 'email_verified'],
    write_attributes: ['email'],
  });
  const auth = {
    provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['000000000000'] }] },
    resource: {
      aws_cognito_user_pool: {
        users_pool: {
          '//': { metadata: { path: 'auth/users/pool', uniqueId: 'users_pool' } },
          name: POOL_NAME,
          username_attributes: ['email'],
          auto_verified_attributes: ['email'],
          username_configuration: { case_sensitive: false },
          mfa_configuration: 'OFF',
          password_policy: {
            minimum_length: 12,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 3,
          },
          account_recovery_setting: { recovery_mechanism: [{ name: 'verified_email', priority: 1 }] },
          admin_create_user_config: { allow_admin_create_user_only: false },
          deletion_protection: 'INACTIVE',
          schema: [{ name: 'email', attribute_data_type: 'String', required: true, mutable: true, string_attribute_constraints: { min_length: '3', max_length: '254' } }],
        },
      },
      aws_cognito_user_pool_client: {
        users_client: client(APP_CLIENT, ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
        users_srp_client: client(SRP_ONLY_CLIENT, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      },
      aws_cognito_user_group: {
        'users_group-admin': { name: 'admin', description: 'Manage products and read every order', precedence: 0, user_pool_id: poolRef },
        'users_group-customer': { name: 'customer', description: 'Shop and manage their own orders', precedence: 1, user_pool_id: poolRef },
      },
    },
    output: { pool_id: { sensitive: true, value: poolRef } },
    terraform: { backend: { local: { path: 'terraform.auth.tfstate' } } },
  };
  const api = {
    provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['000000000000'] }] },
    data: { terraform_remote_state: { 'input-auth': { backend: 'local', config: { path: '../../../terraform.auth.tfstate' } } } },
    resource: {
      aws_appsync_graphql_api: {
        api: {
          name: 'orders-test-api',
          authentication_type: 'AMAZON_COGNITO_USER_POOLS',
          user_pool_config: { aws_region: 'us-east-1', default_action: 'ALLOW', user_pool_id: '${data.terraform_remote_state.input-auth.outputs.pool_id}' },
        },
      },
    },
  };
  for (const [name, stack] of Object.entries({ auth, api })) {
    mkdirSync(join(outdir, 'stacks', name), { recursive: true });
    writeFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  }
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({
      stacks: {
        auth: { name: 'auth', dependencies: [], synthesizedStackPath: 'stacks/auth/cdk.tf.json' },
        api: { name: 'api', dependencies: ['auth'], synthesizedStackPath: 'stacks/api/cdk.tf.json' },
      },
      version: '0.21.0',
    }),
  );
  return outdir;
}

/** A sandbox running only the Cognito service over `outdir`, with its log lines collected. */
export async function startCognitoSandbox(outdir: string, dataRoot: string, reset = false, options: CognitoServiceOptions = {}) {
  const logs: Parameters<LogSink>[0][] = [];
  const model = new PlatformModel(outdir);
  // Port 0: any free port, so parallel test files never race for 9229.
  const sandbox = new Sandbox({ model, services: [cognitoService({ port: 0, ...options })], dataRoot, reset, sink: (line) => logs.push(line) });
  await sandbox.start();
  return { sandbox, model, logs };
}

/** Tokens of one sign-in. */
export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
}

/** Signs in with amazon-cognito-identity-js, the library web apps use, as they would against AWS. */
export function signIn(
  endpoint: string,
  pool: { poolId: string; clientId: string },
  username: string,
  password: string,
  flow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH',
): Promise<Tokens> {
  const user = new CognitoUser({ Username: username, Pool: new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint }) });
  user.setAuthenticationFlowType(flow);
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ idToken: session.getIdToken().getJwtToken(), accessToken: session.getAccessToken().getJwtToken() }),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error(`${username} must set a new password`)),
    }),
  );
}
