// Reads one AppSync API out of the platform model: its schema and auth configuration from
// aws_appsync_graphql_api, and the data sources, resolvers, functions and API keys that name its id.
// Nothing here is declared by hand, so a resolver added with the constructs runs with no engine change.
import type { PlatformModel, ResourceRef } from '../../../model/platform-model';
import type { AuthMode } from '../contracts';
import type { DataSourceDefinition } from '../data-source';

/** `user_pool_config` of the default mode or of an additional provider. */
export interface UserPoolConfig {
  readonly userPoolId: string;
  readonly appIdClientRegex?: string;
  /** Only the default mode has one. */
  readonly defaultAction?: 'ALLOW' | 'DENY';
}

/** One enabled authorization mode. */
export interface AuthProvider {
  readonly mode: AuthMode;
  readonly userPool?: UserPoolConfig;
}

/** An `aws_appsync_api_key` of the API. */
export interface ApiKey {
  readonly key: string;
  /** Epoch milliseconds; keys without `expires` never expire locally. */
  readonly expiresAt?: number;
}

/** Code of a resolver or function as deployed, or why it cannot run. */
export type CodeSource = { readonly kind: 'js'; readonly code: string } | { readonly kind: 'unsupported'; readonly reason: string };

/** An `aws_appsync_function`. */
export interface FunctionDefinition {
  readonly resource: ResourceRef;
  readonly functionId: string;
  readonly name: string;
  readonly dataSource: string;
  readonly code: CodeSource;
}

/** An `aws_appsync_resolver`. */
export interface ResolverBinding {
  readonly resource: ResourceRef;
  readonly typeName: string;
  readonly fieldName: string;
  readonly kind: 'UNIT' | 'PIPELINE';
  /** UNIT only. */
  readonly dataSource?: string;
  /** PIPELINE only, in order. */
  readonly functions: readonly FunctionDefinition[];
  readonly code: CodeSource;
}

/** Everything the engine needs to serve one API. */
export interface ApiDefinition {
  readonly resource: ResourceRef;
  readonly id: string;
  readonly name: string;
  readonly schema: string;
  readonly defaultAuth: AuthProvider;
  readonly additionalAuth: readonly AuthProvider[];
  readonly apiKeys: readonly ApiKey[];
  readonly dataSources: ReadonlyMap<string, DataSourceDefinition>;
  readonly resolvers: readonly ResolverBinding[];
  /** `query_depth_limit`; 0 means none. */
  readonly queryDepthLimit: number;
  readonly introspection: boolean;
}

type Config = Record<string, unknown>;

// cdktf writes a single nested block as an object and repeated blocks as a list.
function block(value: unknown): Config | undefined {
  if (Array.isArray(value)) return value[0] as Config | undefined;
  return value && typeof value === 'object' ? (value as Config) : undefined;
}

function blocks(value: unknown): Config[] {
  if (Array.isArray(value)) return value as Config[];
  return value && typeof value === 'object' ? [value as Config] : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function userPool(config: Config | undefined, withDefaultAction: boolean): UserPoolConfig | undefined {
  if (!config) return undefined;
  const appIdClientRegex = optionalString(config.app_id_client_regex);
  const defaultAction = withDefaultAction ? ((optionalString(config.default_action) ?? 'ALLOW') as 'ALLOW' | 'DENY') : undefined;
  return {
    userPoolId: String(config.user_pool_id),
    ...(appIdClientRegex ? { appIdClientRegex } : {}),
    ...(defaultAction ? { defaultAction } : {}),
  };
}

function codeSource(config: Config, label: string): CodeSource {
  const runtime = block(config.runtime);
  if (typeof config.code === 'string' && (runtime === undefined || runtime.name === 'APPSYNC_JS')) return { kind: 'js', code: config.code };
  if (runtime && runtime.name !== 'APPSYNC_JS') return { kind: 'unsupported', reason: `${label} uses runtime ${String(runtime.name)}; the sandbox runs APPSYNC_JS only` };
  return { kind: 'unsupported', reason: `${label} uses VTL mapping templates; the sandbox runs APPSYNC_JS resolvers only` };
}

function belongsTo(model: PlatformModel, resource: ResourceRef, apiId: string): boolean {
  return String(model.resolve(resource.stack, resource.raw.api_id)) === apiId;
}

function expiry(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** Reads one `aws_appsync_graphql_api` and everything attached to it. */
export function readApiDefinition(model: PlatformModel, resource: ResourceRef): ApiDefinition {
  const config = model.config<Config>(resource);
  const id = String(model.attribute(resource, 'id'));
  const name = String(config.name ?? resource.name);
  const defaultAuth: AuthProvider = {
    mode: String(config.authentication_type) as AuthMode,
    ...(config.authentication_type === 'AMAZON_COGNITO_USER_POOLS' ? { userPool: userPool(block(config.user_pool_config), true) } : {}),
  };
  const additionalAuth = blocks(config.additional_authentication_provider).map((provider): AuthProvider => {
    const mode = String(provider.authentication_type) as AuthMode;
    return mode === 'AMAZON_COGNITO_USER_POOLS' ? { mode, userPool: userPool(block(provider.user_pool_config), false) } : { mode };
  });

  const dataSources = new Map<string, DataSourceDefinition>();
  for (const source of model.resources('aws_appsync_datasource').filter((candidate) => belongsTo(model, candidate, id))) {
    const sourceConfig = model.config<Config>(source);
    const sourceName = String(sourceConfig.name);
    dataSources.set(sourceName, { name: sourceName, type: String(sourceConfig.type), config: sourceConfig });
  }

  const functions = new Map<string, FunctionDefinition>();
  for (const fn of model.resources('aws_appsync_function').filter((candidate) => belongsTo(model, candidate, id))) {
    const fnConfig = model.config<Config>(fn);
    const fnName = String(fnConfig.name ?? fn.name);
    const functionId = String(model.attribute(fn, 'function_id'));
    functions.set(functionId, {
      resource: fn,
      functionId,
      name: fnName,
      dataSource: String(fnConfig.data_source),
      code: codeSource(fnConfig, `AppSync function ${fnName}`),
    });
  }

  const resolvers = model
    .resources('aws_appsync_resolver')
    .filter((candidate) => belongsTo(model, candidate, id))
    .map((binding): ResolverBinding => {
      const bindingConfig = model.config<Config>(binding);
      const typeName = String(bindingConfig.type);
      const fieldName = String(bindingConfig.field);
      const kind = bindingConfig.kind === 'PIPELINE' ? 'PIPELINE' : 'UNIT';
      const label = `Resolver ${typeName}.${fieldName}`;
      const functionIds = (block(bindingConfig.pipeline_config)?.functions ?? []) as unknown[];
      const pipeline = functionIds.map((functionId) => {
        const fn = functions.get(String(functionId));
        if (!fn) throw new Error(`${label} (${binding.id}) names function ${String(functionId)}, which is no aws_appsync_function of API ${name}`);
        return fn;
      });
      return {
        resource: binding,
        typeName,
        fieldName,
        kind,
        ...(kind === 'UNIT' ? { dataSource: optionalString(bindingConfig.data_source) ?? '' } : {}),
        functions: pipeline,
        code: codeSource(bindingConfig, label),
      };
    });

  const apiKeys = model
    .resources('aws_appsync_api_key')
    .filter((candidate) => belongsTo(model, candidate, id))
    .map((key): ApiKey => {
      const expiresAt = expiry(model.config<Config>(key).expires);
      return { key: String(model.attribute(key, 'key')), ...(expiresAt !== undefined ? { expiresAt } : {}) };
    });

  return {
    resource,
    id,
    name,
    schema: String(config.schema ?? ''),
    defaultAuth,
    additionalAuth,
    apiKeys,
    dataSources,
    resolvers,
    queryDepthLimit: typeof config.query_depth_limit === 'number' ? config.query_depth_limit : 0,
    introspection: config.introspection_config !== 'DISABLED',
  };
}
