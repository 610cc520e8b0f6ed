import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  COGNITO_ENDPOINT,
  COGNITO_POOLS,
  COGNITO_VERIFIER,
  cognitoClient,
  DEMO_PASSWORD,
  seedUsers,
  TokenRejectedError,
  type CognitoPools,
  type TokenVerifier,
} from '../../../sandbox/services/cognito';
import { APP_CLIENT, POOL_NAME, SRP_ONLY_CLIENT, signIn, startCognitoSandbox, tempDir, writePlatform, type Tokens } from './fixture';
import { isAlive } from '../../../sandbox/core/processes';

const dir = tempDir('cognito-service-');
const outdir = writePlatform(join(dir.path, 'cdktf.out'));
const dataRoot = join(dir.path, 'data');
const pidFile = join(dataRoot, 'cognito', 'cognito-local.pid');
let started: Awaited<ReturnType<typeof startCognitoSandbox>> | undefined;

const registry = () => started?.sandbox.registry as NonNullable<typeof started>['sandbox']['registry'];
const endpoint = () => registry().require<string>(COGNITO_ENDPOINT);
const pool = () => registry().require<CognitoPools>(COGNITO_POOLS)[POOL_NAME] as CognitoPools[string];
const verifier = () => registry().require<TokenVerifier>(COGNITO_VERIFIER);
const client = () => cognitoClient(endpoint());
const appClient = () => ({ poolId: pool().id, clientId: pool().clients[APP_CLIENT] as string });

/** The reason a verification was refused, or 'accepted'. */
async function outcome(token: string, options?: Parameters<TokenVerifier['verify']>[1]): Promise<string> {
  try {
    await verifier().verify(token, options);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) throw error;
    return `${error.name}: ${error.reason}`;
  }
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}

let alice: Tokens;

beforeAll(async () => {
  started = await startCognitoSandbox(outdir, dataRoot);
  alice = await signIn(endpoint(), appClient(), 'alice@example.com', DEMO_PASSWORD, 'USER_SRP_AUTH');
});

afterAll(async () => {
  await started?.sandbox.stop();
  dir.cleanup();
});

describe('cognitoService', () => {
  it('creates the synthesized pool, clients and groups with their settings, without warnings', async () => {
    const described = (await client().send(new DescribeUserPoolCommand({ UserPoolId: pool().id }))).UserPool;
    const appSettings = (await client().send(new DescribeUserPoolClientCommand({ UserPoolId: pool().id, ClientId: appClient().clientId }))).UserPoolClient;

    expect(pool()).toMatchObject({ name: POOL_NAME, groups: ['admin', 'customer'], issuer: `${endpoint()}/${pool().id}`, jwksUri: `${endpoint()}/${pool().id}/.well-known/jwks.json` });
    expect(Object.keys(pool().clients)).toEqual([APP_CLIENT, SRP_ONLY_CLIENT]);
    expect(described?.UsernameAttributes).toEqual(['email']);
    expect(described?.Policies?.PasswordPolicy).toMatchObject({ MinimumLength: 12, RequireSymbols: true, TemporaryPasswordValidityDays: 3 });
    expect(appSettings).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    });
    expect(started?.logs.filter((line) => line.level !== 'info')).toEqual([]);
  });

  it('resolves after-apply attributes to the local ids, across stacks too', () => {
    const model = started?.model as NonNullable<typeof started>['model'];
    const api = model.config<{ user_pool_config: { user_pool_id: string } }>(model.find('api', 'aws_appsync_graphql_api', 'api'));

    expect(api.user_pool_config.user_pool_id).toBe(pool().id);
    expect(model.attribute(model.find('auth', 'aws_cognito_user_pool', 'users_pool'), 'arn')).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool().id}`);
    expect(model.attribute(model.find('auth', 'aws_cognito_user_pool', 'users_pool'), 'endpoint')).toBe(`${endpoint().replace('http://', '')}/${pool().id}`);
    expect(model.attribute(model.find('auth', 'aws_cognito_user_pool_client', 'users_client'), 'id')).toBe(appClient().clientId);
    expect(model.attribute(model.find('auth', 'aws_cognito_user_group', 'users_group-admin'), 'id')).toBe(`${pool().id}/admin`);
    expect(started?.sandbox.describe()).toEqual(
      expect.arrayContaining([`  user pool  ${POOL_NAME}  id ${pool().id}`, `  app client ${APP_CLIENT}  id ${appClient().clientId}`, `  demo user  admin@example.com / ${DEMO_PASSWORD}  (admin)`]),
    );
  });

  it('signs demo users in over SRP and USER_PASSWORD_AUTH, and both tokens verify as AppSync identities', async () => {
    const admin = await signIn(endpoint(), appClient(), 'admin@example.com', DEMO_PASSWORD, 'USER_PASSWORD_AUTH');
    const fromId = await verifier().verify(alice.idToken, { sourceIp: ['203.0.113.7'] });
    const fromAccess = await verifier().verify(`Bearer ${alice.accessToken}`);
    const adminIdentity = await verifier().verify(`Bearer ${admin.idToken}`);

    expect(fromId).toEqual({
      sub: claimsOf(alice.idToken).sub,
      issuer: pool().issuer,
      username: claimsOf(alice.idToken)['cognito:username'],
      claims: expect.objectContaining({ email: 'alice@example.com', token_use: 'id', aud: appClient().clientId, 'cognito:groups': ['customer'] }),
      sourceIp: ['203.0.113.7'],
      defaultAuthStrategy: 'ALLOW',
      groups: ['customer'],
    });
    expect(fromAccess).toMatchObject({ sub: fromId.sub, username: fromId.username, groups: ['customer'], sourceIp: [], claims: { token_use: 'access', client_id: appClient().clientId } });
    expect(adminIdentity.groups).toEqual(['admin']);
    expect(claimsOf(alice.idToken).exp).toBe(Number(claimsOf(alice.idToken).iat) + 3600);
  });

  it('refuses a wrong password over SRP and over USER_PASSWORD_AUTH', async () => {
    await expect(signIn(endpoint(), appClient(), 'bob@example.com', 'Wrong-Passw0rd!', 'USER_SRP_AUTH')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(signIn(endpoint(), appClient(), 'bob@example.com', 'Wrong-Passw0rd!', 'USER_PASSWORD_AUTH')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(signIn(endpoint(), appClient(), 'nobody@example.com', DEMO_PASSWORD, 'USER_SRP_AUTH')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  it("enforces each client's explicit auth flows", async () => {
    const srpOnly = { poolId: pool().id, clientId: pool().clients[SRP_ONLY_CLIENT] as string };

    await expect(signIn(endpoint(), srpOnly, 'bob@example.com', DEMO_PASSWORD, 'USER_PASSWORD_AUTH')).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
    const bob = await signIn(endpoint(), srpOnly, 'bob@example.com', DEMO_PASSWORD, 'USER_SRP_AUTH');
    expect((await verifier().verify(bob.accessToken)).claims.client_id).toBe(srpOnly.clientId);
  });

  it('rejects a token whose payload was altered', async () => {
    const [header, , signature] = alice.idToken.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claimsOf(alice.idToken), 'cognito:groups': ['admin'] })).toString('base64url');

    await expect(outcome(`${header}.${payload}.${signature}`)).resolves.toBe('TokenRejectedError: signature');
  });

  it('rejects a token signed by another key, with another algorithm, or not signed at all', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal' })}.${encode(claimsOf(alice.idToken))}`;
    const forged = `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
    const hmacUnsigned = `${encode({ alg: 'HS256', typ: 'JWT', kid: 'CognitoLocal' })}.${encode(claimsOf(alice.idToken))}`;
    const hmac = `${hmacUnsigned}.${createHmac('sha256', 'CognitoLocal').update(hmacUnsigned).digest('base64url')}`;
    const none = `${encode({ alg: 'none', typ: 'JWT', kid: 'CognitoLocal' })}.${encode(claimsOf(alice.idToken))}.`;

    await expect(outcome(forged)).resolves.toBe('TokenRejectedError: signature');
    await expect(verifier().verify(forged)).rejects.toThrow(`Token signature does not verify against the JWKS of ${POOL_NAME}`);
    await expect(outcome(hmac)).resolves.toBe('TokenRejectedError: signature');
    await expect(outcome(none)).resolves.toBe('TokenRejectedError: malformed');
    await expect(outcome('not-a-jwt')).resolves.toBe('TokenRejectedError: malformed');
  });

  it('accepts a token until the synthesized validity (60 minutes) ends, then rejects it as expired', async () => {
    const issuedAt = Number(claimsOf(alice.accessToken).iat) * 1000;
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(issuedAt + 59 * 60_000);
      await expect(outcome(alice.accessToken)).resolves.toBe('accepted');
      clock.mockReturnValue(issuedAt + 61 * 60_000);
      await expect(outcome(alice.accessToken)).resolves.toBe('TokenRejectedError: expired');
      await expect(verifier().verify(alice.idToken)).rejects.toThrow(/^Token expired at /);
    } finally {
      clock.mockRestore();
    }
  });

  it('rejects tokens of a pool or an app client the platform does not define', async () => {
    const other = await client().send(new CreateUserPoolCommand({ PoolName: 'made-by-hand', UsernameAttributes: ['email'] }));
    const otherId = other.UserPool?.Id as string;
    const otherClient = await client().send(new CreateUserPoolClientCommand({ UserPoolId: otherId, ClientName: 'by-hand', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
    await seedUsers(client(), { poolId: otherId, poolName: 'made-by-hand', groups: [], passwordPolicy: pool().passwordPolicy }, [
      { email: 'alice@example.com', password: DEMO_PASSWORD, groups: [] },
    ]);
    const foreign = await signIn(endpoint(), { poolId: otherId, clientId: otherClient.UserPoolClient?.ClientId as string }, 'alice@example.com', DEMO_PASSWORD, 'USER_PASSWORD_AUTH');
    const strayClient = await client().send(new CreateUserPoolClientCommand({ UserPoolId: pool().id, ClientName: 'not-synthesized', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
    const stray = await client().send(
      new InitiateAuthCommand({
        ClientId: strayClient.UserPoolClient?.ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice@example.com', PASSWORD: DEMO_PASSWORD },
      }),
    );

    await expect(outcome(foreign.idToken)).resolves.toBe('TokenRejectedError: issuer');
    await expect(verifier().verify(foreign.idToken)).rejects.toThrow(`Token issuer ${endpoint()}/${otherId} is not a user pool of this platform`);
    await expect(outcome(stray.AuthenticationResult?.IdToken as string)).resolves.toBe('TokenRejectedError: client');
    await expect(outcome(stray.AuthenticationResult?.AccessToken as string)).resolves.toBe('TokenRejectedError: client');
    await expect(verifier().verify(stray.AuthenticationResult?.IdToken as string)).rejects.toThrow(
      `Token is for app client ${strayClient.UserPoolClient?.ClientId}, not one this API accepts (${pool().clientIds.join(', ')})`,
    );
  });

  it("narrows accepted tokens to an API's user pool and app client regex", async () => {
    await expect(outcome(alice.idToken, { userPoolId: pool().id, appIdClientRegex: appClient().clientId })).resolves.toBe('accepted');
    await expect(outcome(alice.idToken, { userPoolId: 'local_elsewhere' })).resolves.toBe('TokenRejectedError: issuer');
    await expect(verifier().verify(alice.idToken, { userPoolId: 'local_elsewhere' })).rejects.toThrow(
      `Token is from user pool ${pool().id}; this API accepts user pool local_elsewhere`,
    );
    await expect(verifier().verify(alice.idToken, { appIdClientRegex: 'no-such-client' })).rejects.toThrow(
      `Token is for app client ${appClient().clientId}, not one this API accepts (none)`,
    );
  });

  it('keeps pool, client and user ids across a restart, and starts empty with reset', async () => {
    const before = pool();
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await started?.sandbox.stop();
    started = undefined;
    expect(isAlive(pid)).toBe(false);

    started = await startCognitoSandbox(outdir, dataRoot);
    const again = await signIn(endpoint(), appClient(), 'alice@example.com', DEMO_PASSWORD, 'USER_SRP_AUTH');
    expect(pool()).toMatchObject({ id: before.id, clients: before.clients });
    expect((await verifier().verify(again.idToken)).sub).toBe(claimsOf(alice.idToken).sub);

    await started.sandbox.stop();
    started = await startCognitoSandbox(outdir, dataRoot, true);
    expect(pool().id).not.toBe(before.id);
    expect((await client().send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.map((listed) => listed.Name)).toEqual([POOL_NAME]);
  });
});
