import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AppSyncContext, DataSourceResponse } from '../../../../runtime/appsync';
import { CapabilityRegistry } from '../../../../sandbox/core/service';
import { PlatformModel } from '../../../../sandbox/model/platform-model';
import type { AuthRequest, Caller } from '../../../../sandbox/services/appsync/contracts';
import { dataSourceCapability, type DataSourceDefinition } from '../../../../sandbox/services/appsync/data-source';
import { createGraphqlEngine, registerAppSyncAttributes, type AppSyncEngine } from '../../../../sandbox/services/appsync/engine';
import { escapeTerraformTemplate } from '../../../../stacks/lib/resolver-bundle';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const POOL_ID = 'local_fixturePool';
export const ISSUER = `http://127.0.0.1:9229/${POOL_ID}`;
export const ENDPOINT = { host: 'localhost', httpsPort: 4443 };

export const SCHEMA = `
schema {
  query: Query
  mutation: Mutation
  subscription: Subscription
}

type Thing @aws_cognito_user_pools @aws_iam {
  id: ID!
  owner: String!
  name: String!
  price: Int!
  tags: [String!]
  createdAt: AWSDateTime!
  meta: AWSJSON
  "Backend callers only."
  secret: String @aws_iam
}

input ThingInput {
  name: String!
  price: Int!
  tags: [String!]
  createdAt: AWSDateTime!
  meta: AWSJSON
}

type Query {
  getThing(id: ID!): Thing
  listThings(limit: Int): [Thing!]!
  whoami: String @aws_cognito_user_pools @aws_iam @aws_api_key
  adminReport: String @aws_cognito_user_pools(cognito_groups: ["admin"])
  echo(at: AWSDateTime, date: AWSDate, time: AWSTime, ts: AWSTimestamp, email: AWSEmail, json: AWSJSON, url: AWSURL, phone: AWSPhone, ip: AWSIPAddress): AWSJSON
    @aws_cognito_user_pools @aws_api_key
  context(note: String): AWSJSON
  failing: Thing
  unresolved: String
}

type Mutation {
  createThing(input: ThingInput!): Thing
  renameThing(id: ID!, name: String!): Thing @aws_iam
}

type Subscription {
  onThingChanged(owner: String, name: String): Thing @aws_subscribe(mutations: ["createThing", "renameThing"])
}
`;

/** Resolver sources, as the repository would hold them: `Type.field.ts` or `Type.field/` pipelines. */
export const RESOLVERS: Record<string, string> = {
  'Query.getThing.ts': `
    import { util, type Context } from '@aws-appsync/utils';
    export function request(ctx: Context<{ id: string }>) { return { operation: 'get', id: ctx.args.id }; }
    export function response(ctx: Context) {
      if (ctx.error) util.error(ctx.error.message, ctx.error.type);
      return ctx.result;
    }
  `,
  'Query.listThings.ts': `
    import type { Context } from '@aws-appsync/utils';
    export function request(ctx: Context<{ limit?: number | null }>) { return { operation: 'list', limit: ctx.args.limit }; }
    export function response(ctx: Context) { return ctx.result; }
  `,
  'Query.whoami.ts': `
    import { util, type Context } from '@aws-appsync/utils';
    export function request() { return { payload: null }; }
    export function response(ctx: Context) {
      const identity = ctx.identity as { sub?: string; username?: string } | null;
      const who = identity ? identity.sub || identity.username : 'anonymous';
      return \`\${util.authType()}:\${who}\`;
    }
  `,
  'Query.adminReport.ts': `
    export function request() { return { payload: 'report' }; }
    export function response(ctx: { result: unknown }) { return ctx.result; }
  `,
  'Query.echo.ts': `
    import type { Context } from '@aws-appsync/utils';
    export function request(ctx: Context) { return { payload: ctx.args }; }
    export function response(ctx: Context) { return ctx.result; }
  `,
  'Query.context.ts': `
    import { util, type Context } from '@aws-appsync/utils';
    export function request(ctx: Context) { return { payload: null }; }
    export function response(ctx: Context) {
      return { args: ctx.args, info: ctx.info, source: ctx.source, headers: ctx.request.headers, domainName: ctx.request.domainName, authType: util.authType() };
    }
  `,
  'Query.failing.ts': `
    import { util } from '@aws-appsync/utils';
    export function request() { return { payload: null }; }
    export function response() { util.error('failing: always fails', 'CustomError', { partial: true }, { hint: 'none' }); }
  `,
  'Mutation.createThing/index.ts': `
    import type { Context } from '@aws-appsync/utils';
    export function request(ctx: Context) { ctx.stash.owner = (ctx.identity as { sub: string }).sub; return {}; }
    export function response(ctx: Context) { return ctx.prev.result; }
  `,
  'Mutation.createThing/1-validate.ts': `
    import { util, type Context } from '@aws-appsync/utils';
    export function request(ctx: Context<{ input: { price: number; meta?: unknown } }>) {
      if (ctx.args.input.price < 0) util.error('input.price must not be negative', 'ValidationError');
      return { payload: { metaType: typeof ctx.args.input.meta } };
    }
    export function response(ctx: Context) { ctx.stash.metaType = ctx.result.metaType; return null; }
  `,
  'Mutation.createThing/2-store.ts': `
    import type { Context } from '@aws-appsync/utils';
    export function request(ctx: Context<{ input: Record<string, unknown> }>) {
      return { operation: 'put', item: { ...ctx.args.input, id: 'T-' + ctx.args.input.name, owner: ctx.stash.owner, secret: 's3cret', metaType: ctx.stash.metaType } };
    }
    export function response(ctx: Context) { return ctx.result; }
  `,
  'Mutation.renameThing.ts': `
    import type { Context } from '@aws-appsync/utils';
    export function request(ctx: Context<{ id: string; name: string }>) { return { operation: 'rename', id: ctx.args.id, name: ctx.args.name }; }
    export function response(ctx: Context) { return ctx.result; }
  `,
  'Subscription.onThingChanged.ts': `
    import { extensions, util, type Context } from '@aws-appsync/utils';
    export function request() { return { payload: null }; }
    export function response(ctx: Context) {
      const identity = ctx.identity as { sub?: string; groups?: string[] | null } | null;
      if (!identity || !identity.sub) util.unauthorized();
      const admin = (identity.groups || []).indexOf('admin') >= 0;
      if (!admin) extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ owner: { eq: identity.sub } }));
      return null;
    }
  `,
};

function bundle(dir: string, file: string): string {
  const result = buildSync({
    entryPoints: [join(dir, file)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    external: ['@aws-appsync/utils', '@aws-appsync/utils/dynamodb'],
    logLevel: 'silent',
  });
  return escapeTerraformTemplate(result.outputFiles[0]?.text ?? '');
}

const JS = { name: 'APPSYNC_JS', runtime_version: '1.0.0' };

/** Changes the fixture stack's `resource` block before it is written. */
export type ResourcePatch = (resource: Record<string, Record<string, Record<string, unknown>>>) => void;

/** A synthesized `cdktf.out` with one API stack, written to a temp folder. */
export function writeFixture(options: { patch?: ResourcePatch } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'appsync-engine-'));
  const sources = join(root, 'resolvers');
  for (const [file, code] of Object.entries(RESOLVERS)) {
    mkdirSync(dirname(join(sources, file)), { recursive: true });
    writeFileSync(join(sources, file), code);
  }
  const api = '${aws_appsync_graphql_api.api.id}';
  const unit = (field: string, dataSource: string) => {
    const [type, name] = field.split('.') as [string, string];
    return { api_id: api, type, field: name, kind: 'UNIT', data_source: `\${aws_appsync_datasource.${dataSource}.name}`, runtime: JS, code: bundle(sources, `${field}.ts`) };
  };
  const resource: Record<string, Record<string, Record<string, unknown>>> = {
    aws_appsync_graphql_api: {
      api: {
        name: 'fixture-api',
        schema: SCHEMA,
        authentication_type: 'AMAZON_COGNITO_USER_POOLS',
        user_pool_config: { user_pool_id: POOL_ID, aws_region: REGION, default_action: 'ALLOW' },
        additional_authentication_provider: [{ authentication_type: 'AWS_IAM' }, { authentication_type: 'API_KEY' }],
        query_depth_limit: 5,
        introspection_config: 'ENABLED',
      },
    },
    aws_appsync_api_key: { key: { api_id: api, description: 'fixture' }, expired: { api_id: api, expires: '2020-01-01T00:00:00Z' } },
    aws_appsync_datasource: {
      none: { api_id: api, name: 'none', type: 'NONE' },
      things: { api_id: api, name: 'things', type: 'FAKE_STORE', fake_config: { table: 'things' } },
    },
    aws_appsync_function: {
      validate: { api_id: api, name: 'Mutation_createThing_validate', data_source: '${aws_appsync_datasource.none.name}', runtime: JS, code: bundle(sources, 'Mutation.createThing/1-validate.ts') },
      store: { api_id: api, name: 'Mutation_createThing_store', data_source: '${aws_appsync_datasource.things.name}', runtime: JS, code: bundle(sources, 'Mutation.createThing/2-store.ts') },
    },
    aws_appsync_resolver: {
      getThing: unit('Query.getThing', 'things'),
      listThings: unit('Query.listThings', 'things'),
      whoami: unit('Query.whoami', 'none'),
      adminReport: unit('Query.adminReport', 'none'),
      echo: unit('Query.echo', 'none'),
      context: unit('Query.context', 'none'),
      failing: unit('Query.failing', 'none'),
      renameThing: unit('Mutation.renameThing', 'things'),
      onThingChanged: unit('Subscription.onThingChanged', 'none'),
      createThing: {
        api_id: api,
        type: 'Mutation',
        field: 'createThing',
        kind: 'PIPELINE',
        pipeline_config: { functions: ['${aws_appsync_function.validate.function_id}', '${aws_appsync_function.store.function_id}'] },
        runtime: JS,
        code: bundle(sources, 'Mutation.createThing/index.ts'),
      },
    },
  };
  options.patch?.(resource);
  const outdir = join(root, 'cdktf.out');
  mkdirSync(join(outdir, 'stacks', 'api'), { recursive: true });
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({ stacks: { api: { name: 'api', dependencies: [], synthesizedStackPath: 'stacks/api/cdk.tf.json' } } }),
  );
  writeFileSync(
    join(outdir, 'stacks', 'api', 'cdk.tf.json'),
    JSON.stringify({ provider: { aws: [{ region: REGION, allowed_account_ids: [ACCOUNT] }] }, resource }),
  );
  return outdir;
}

/** An in-memory data source type the test registers, standing in for DynamoDB. */
export class FakeStore {
  readonly items = new Map<string, Record<string, unknown>>();
  readonly requests: { dataSource: string; request: unknown; identity: unknown; info: AppSyncContext['info'] }[] = [];
  readonly definitions: DataSourceDefinition[] = [];

  readonly factory = (definition: DataSourceDefinition) => {
    this.definitions.push(definition);
    return async (request: unknown, ctx: AppSyncContext): Promise<DataSourceResponse> => {
      this.requests.push({ dataSource: definition.name, request, identity: ctx.identity, info: ctx.info });
      const call = request as { operation: string; id?: string; name?: string; item?: Record<string, unknown>; limit?: number };
      switch (call.operation) {
        case 'get':
          return { result: this.items.get(String(call.id)) ?? null };
        case 'list':
          return { result: [...this.items.values()].slice(0, call.limit ?? undefined) };
        case 'put':
          this.items.set(String(call.item?.id), call.item as Record<string, unknown>);
          return { result: call.item };
        case 'rename': {
          const item = this.items.get(String(call.id));
          if (!item) return { error: { message: `no thing ${call.id}`, type: 'NotFound' } };
          item.name = call.name;
          return { result: item };
        }
        default:
          return { error: { message: `unknown operation ${call.operation}`, type: 'BadRequest' } };
      }
    };
  };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JWT-shaped token the fake verifier accepts (its signature is not checked). */
export function token(claims: { sub: string; groups?: string[]; iss?: string; exp?: number; client_id?: string }): string {
  const payload = {
    sub: claims.sub,
    iss: claims.iss ?? ISSUER,
    exp: claims.exp ?? Math.floor(Date.now() / 1000) + 3600,
    token_use: 'access',
    client_id: claims.client_id ?? 'client-1',
    username: claims.sub,
    ...(claims.groups ? { 'cognito:groups': claims.groups } : {}),
  };
  return `${base64url({ alg: 'RS256', kid: 'k' })}.${base64url(payload)}.c2lnbmF0dXJl`;
}

/** Stands in for the Cognito service's `cognito.verifier`: decodes the token and checks pool and expiry. */
export const fakeVerifier = {
  calls: [] as { options: unknown }[],
  async verify(raw: string, options: { userPoolId?: string; sourceIp?: readonly string[]; defaultAuthStrategy?: string } = {}) {
    fakeVerifier.calls.push({ options });
    const jwt = raw.replace(/^Bearer\s+/i, '');
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    const fail = (reason: string) => Object.assign(new Error(`token rejected: ${reason}`), { name: 'TokenRejectedError', reason });
    if (options.userPoolId && !String(claims.iss).endsWith(`/${options.userPoolId}`)) throw fail('issuer');
    if (Number(claims.exp) * 1000 < Date.now()) throw fail('expired');
    const groups = claims['cognito:groups'] as string[] | undefined;
    return {
      sub: claims.sub,
      issuer: claims.iss,
      username: claims.username,
      claims,
      sourceIp: [...(options.sourceIp ?? [])],
      defaultAuthStrategy: options.defaultAuthStrategy ?? 'ALLOW',
      groups: groups && groups.length > 0 ? groups : null,
    };
  },
};

export interface Fixture {
  readonly outdir: string;
  readonly model: PlatformModel;
  readonly registry: CapabilityRegistry;
  readonly store: FakeStore;
  readonly engine: AppSyncEngine;
  cleanup(): void;
}

/** The fixture model, the fake capabilities registered, and an engine over it. */
export function createFixture(
  options: { withStore?: boolean; withVerifier?: boolean; now?: () => number; patch?: ResourcePatch } = {},
): Fixture {
  const outdir = writeFixture(options.patch ? { patch: options.patch } : {});
  const model = new PlatformModel(outdir);
  registerAppSyncAttributes(model, ENDPOINT);
  const registry = new CapabilityRegistry();
  const store = new FakeStore();
  if (options.withStore !== false) registry.provide(dataSourceCapability('FAKE_STORE'), store.factory);
  if (options.withVerifier !== false) registry.provide('cognito.verifier', fakeVerifier);
  const engine = createGraphqlEngine({ model, registry, ...(options.now ? { now: options.now } : {}) });
  return { outdir, model, registry, store, engine, cleanup: () => rmSync(dirname(outdir), { recursive: true, force: true }) };
}

/** An AuthRequest with the given headers. */
export function authRequest(headers: Record<string, string>, body = '{"query":"{ whoami }"}'): AuthRequest {
  return { headers: { host: 'localhost:4443', ...headers }, method: 'POST', path: '/graphql', body, sourceIp: '127.0.0.1' };
}

/** A Cognito caller as the engine's authenticate returns it. */
export async function cognitoCaller(engine: AppSyncEngine, sub: string, groups?: string[]): Promise<Caller> {
  return engine.authenticate(authRequest({ authorization: token({ sub, ...(groups ? { groups } : {}) }) }));
}

/** An IAM caller (as if its SigV4 signature had been checked). */
export const iamCaller: Caller = {
  mode: 'AWS_IAM',
  sourceIp: '127.0.0.1',
  identity: { accountId: ACCOUNT, cognitoIdentityPoolId: null, cognitoIdentityId: null, sourceIp: ['127.0.0.1'], username: 'AIDA', userArn: `arn:aws:iam::${ACCOUNT}:user/sandbox`, cognitoIdentityAuthType: null, cognitoIdentityAuthProvider: null },
};

/** An API key caller. */
export const apiKeyCaller: Caller = { mode: 'API_KEY', sourceIp: '127.0.0.1', identity: null };
