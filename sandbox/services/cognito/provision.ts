import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from '../../core/logger';
import type { PlatformModel, ResourceRef } from '../../model/platform-model';
import type { CognitoPool } from './capabilities';
import { passwordPolicyOf } from './password-policy';
import { clientSettings, groupSettings, poolSettings } from './terraform-settings';

/** What {@link provision} needs. */
export interface ProvisionContext {
  readonly client: CognitoIdentityProviderClient;
  readonly model: PlatformModel;
  /** The public endpoint; issuers are `<publicUrl>/<poolId>`. */
  readonly publicUrl: string;
  readonly logger: Logger;
  /** Local ids by resource id (`stack:type.name`); filled here, read by the attribute providers. */
  readonly ids: Map<string, string>;
}

/**
 * Creates the platform's pools, then its clients and groups (their `user_pool_id` resolves through
 * the pools' ids). A resource that already exists from an earlier run, found by name, is updated in
 * place, so its id, and the users of a pool, survive restarts.
 */
export async function provision(context: ProvisionContext): Promise<CognitoPool[]> {
  const { client, model, logger, ids } = context;
  const poolResources = model.resources('aws_cognito_user_pool');
  assertUniqueNames(poolResources.map((resource) => [resource.id, String(model.attribute(resource, 'name'))]), 'user pool');
  const existingPools = new Map(((await client.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? []).map((pool) => [pool.Name, pool.Id]));

  for (const resource of poolResources) {
    const settings = poolSettings(model.config(resource));
    warnUnsupported(logger, resource, settings.unsupported);
    let poolId = existingPools.get(settings.input.PoolName);
    if (poolId) {
      const { PoolName: _name, Schema: _schema, UsernameAttributes, AliasAttributes: _aliases, UsernameConfiguration: _username, ...mutable } = settings.input;
      const current = (await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
      if ([...(current?.UsernameAttributes ?? [])].sort().join() !== [...(UsernameAttributes ?? [])].sort().join()) {
        logger.warn(`${resource.id}: username_attributes changed, which Cognito cannot change on a pool; start with --reset to recreate it`);
      }
      await client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, ...mutable }));
    } else {
      poolId = (await client.send(new CreateUserPoolCommand(settings.input))).UserPool?.Id as string;
    }
    await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...settings.mfa }));
    ids.set(resource.id, poolId);
  }

  const poolIds = new Set(ids.values());
  const clientResources = model.resources('aws_cognito_user_pool_client');
  const clientConfigs = clientResources.map((resource) => ({ resource, settings: clientSettings(model.config(resource)) }));
  assertUniqueNames(clientConfigs.map(({ resource, settings }) => [resource.id, `${settings.input.UserPoolId}/${settings.input.ClientName}`]), 'app client');
  for (const { resource, settings } of clientConfigs) {
    const poolId = assertKnownPool(resource, settings.input.UserPoolId, poolIds);
    warnUnsupported(logger, resource, settings.unsupported);
    const existing = ((await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients ?? []).find(
      (candidate) => candidate.ClientName === settings.input.ClientName,
    );
    const { GenerateSecret: _secret, ...mutable } = settings.input;
    const clientId = existing?.ClientId
      ? (await client.send(new UpdateUserPoolClientCommand({ ...mutable, ClientId: existing.ClientId }))).UserPoolClient?.ClientId
      : (await client.send(new CreateUserPoolClientCommand(settings.input))).UserPoolClient?.ClientId;
    ids.set(resource.id, clientId as string);
  }

  const groupNames = new Map<string, string[]>();
  // ListGroups, not GetGroup: cognito-local 5.3 answers GetGroup with a 500 in a pool that has no group yet.
  const existingGroups = new Map<string, Set<string | undefined>>();
  for (const poolId of poolIds) {
    const groups = (await client.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups ?? [];
    existingGroups.set(poolId, new Set(groups.map((group) => group.GroupName)));
  }
  for (const resource of model.resources('aws_cognito_user_group')) {
    const settings = groupSettings(model.config(resource));
    const poolId = assertKnownPool(resource, settings.input.UserPoolId, poolIds);
    warnUnsupported(logger, resource, settings.unsupported);
    const exists = existingGroups.get(poolId)?.has(settings.input.GroupName);
    await client.send(exists ? new UpdateGroupCommand(settings.input) : new CreateGroupCommand(settings.input));
    groupNames.set(poolId, [...(groupNames.get(poolId) ?? []), settings.input.GroupName as string]);
  }

  return poolResources.map((resource) => {
    const id = ids.get(resource.id) as string;
    const clients = Object.fromEntries(
      clientConfigs.filter(({ settings }) => settings.input.UserPoolId === id).map(({ resource: clientResource, settings }) => [settings.input.ClientName, ids.get(clientResource.id) as string]),
    );
    const issuer = `${context.publicUrl}/${id}`;
    return {
      id,
      name: String(model.attribute(resource, 'name')),
      arn: poolArn(model, id),
      clientIds: Object.values(clients),
      clients,
      groups: groupNames.get(id) ?? [],
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      passwordPolicy: passwordPolicyOf(model.config(resource)),
    };
  });
}

/** The ARN Terraform would report, in the platform's region and account. */
export function poolArn(model: PlatformModel, poolId: string): string {
  return `arn:aws:cognito-idp:${model.region}:${model.accountId}:userpool/${poolId}`;
}

/** Reuse by name needs unique names; Cognito allows duplicates, so say which resources clash. */
function assertUniqueNames(entries: readonly [string, string][], kind: string): void {
  const byName = new Map<string, string[]>();
  for (const [id, name] of entries) byName.set(name, [...(byName.get(name) ?? []), id]);
  const clashes = [...byName.entries()].filter(([, resourceIds]) => resourceIds.length > 1);
  if (clashes.length > 0) {
    throw new Error(`The sandbox finds each ${kind} by name, and these share one:\n- ${clashes.map(([name, resourceIds]) => `${name}: ${resourceIds.join(', ')}`).join('\n- ')}`);
  }
}

function assertKnownPool(resource: ResourceRef, poolId: string | undefined, poolIds: ReadonlySet<string>): string {
  if (!poolId || !poolIds.has(poolId)) throw new Error(`${resource.id}: user_pool_id ${poolId} is not a user pool of this platform`);
  return poolId;
}

function warnUnsupported(logger: Logger, resource: ResourceRef, unsupported: readonly string[]): void {
  for (const problem of unsupported) logger.warn(`${resource.id} ignores ${problem}`);
}
