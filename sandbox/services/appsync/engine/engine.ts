// The sandbox's AppSync GraphQL engine: one aws_appsync_graphql_api of the platform model, served with
// graphql-js, AppSync's scalars, auth modes and field-level authorization, and the deployed APPSYNC_JS
// resolver code run by the runtime in runtime/appsync.
import {
  GraphQLError,
  Kind,
  execute as executeGraphql,
  executeSync,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  isObjectType,
  parse,
  responsePathAsArray,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';
import {
  createContext,
  executeResolver,
  loadResolverCode,
  noneDataSource,
  ResolverLoadError,
  type DataSourceResponse,
  type GraphQLErrorEntry,
  type InvokeDataSource,
  type ResolverDefinition,
  type ResolverModule,
} from '../../../../runtime/appsync';
import { parseAppSyncSchema } from '../../../../stacks/lib/appsync-schema';
import type { Logger } from '../../../core/logger';
import type { CapabilityRegistry } from '../../../core/service';
import type { PlatformModel, ResourceRef } from '../../../model/platform-model';
import {
  AuthenticationError,
  type AcceptedSubscription,
  type AppSyncError,
  type AuthMode,
  type AuthRequest,
  type Caller,
  type GraphqlEngine,
  type GraphqlRequest,
  type GraphqlResponse,
  type MutationPublished,
} from '../contracts';
import { dataSourceCapability, type DataSourceFactory, type DataSourceHandler } from '../data-source';
import { readApiDefinition, type ApiDefinition, type AuthProvider, type CodeSource, type ResolverBinding } from './api-definition';
import { AUTH_TYPES, FieldAuthorizer } from './authorization';
import { completionError, requestError, resolverError, unauthorizedField } from './errors';
import { installAppSyncScalars } from './scalars';
import { selectionSetGraphQL, selectionSetList, unalias } from './selection';
import { SANDBOX_CREDENTIALS, isSigV4, verifySigV4, type SigningCredentials } from './sigv4';
import { filterProblems, matchesFilter } from './subscription-filter';
import { coerceVariables, operationDepth, validateDocument } from './validation';

/** Registry key of the Cognito token verifier (published by the Cognito service). */
export const COGNITO_VERIFIER_CAPABILITY = 'cognito.verifier';

/** What the engine needs of the Cognito service's verifier. */
export interface CognitoTokenVerifier {
  verify(
    token: string,
    options?: { userPoolId?: string; appIdClientRegex?: string; sourceIp?: readonly string[]; defaultAuthStrategy?: 'ALLOW' | 'DENY' },
  ): Promise<unknown>;
}

/** AppSync's answer to a request with no valid credentials for any enabled mode. */
export const NOT_AUTHORIZED_MESSAGE = 'You are not authorized to make this call.';

/** Options of {@link createGraphqlEngine}. */
export interface GraphqlEngineOptions {
  readonly model: PlatformModel;
  /** Where data source factories and the Cognito verifier are found. */
  readonly registry: CapabilityRegistry;
  /** The API to serve. @default the platform's only aws_appsync_graphql_api */
  readonly api?: ResourceRef;
  /** @default discards everything */
  readonly logger?: Logger;
  /** Key pairs accepted for AWS_IAM. @default the sandbox credentials */
  readonly credentials?: readonly SigningCredentials[];
  /** Limit on each resolver handler call. @default the runtime's 1000 ms */
  readonly timeoutMs?: number;
  /** Clock for SigV4 and API key expiry. @default Date.now */
  readonly now?: () => number;
}

interface LoadedResolver {
  readonly binding: ResolverBinding;
  readonly coordinate: string;
  /** Set when the resolver can run; otherwise `failure` says why not. */
  readonly definition?: ResolverDefinition;
  readonly failure?: string;
}

interface Prepared {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Record<string, unknown>;
  readonly rawVariables: Record<string, unknown>;
}

interface RequestState {
  readonly caller: Caller;
  readonly headers: Record<string, string>;
  readonly prepared: Prepared;
  readonly errors: AppSyncError[];
}

const SILENT: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const UNSUPPORTED_MODES: readonly AuthMode[] = ['OPENID_CONNECT', 'AWS_LAMBDA'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldLocations(nodes: readonly FieldNode[]) {
  return nodes.flatMap((node) => (node.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : []));
}

function stringHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Root fields of an operation's selection set, fragments flattened. */
function rootFields(selectionSet: SelectionSetNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    const nested = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
    return nested ? rootFields(nested, fragments) : [];
  });
}

function hasIntrospection(document: DocumentNode): boolean {
  let found = false;
  const visitSet = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD && (selection.name.value === '__schema' || selection.name.value === '__type')) found = true;
      if ('selectionSet' in selection) visitSet(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) if ('selectionSet' in definition) visitSet(definition.selectionSet);
  return found;
}

/** Which mutations feed which subscription fields (`@aws_subscribe(mutations: [...])`). */
function subscribedMutations(schema: GraphQLSchema): Map<string, string[]> {
  const bySubscription = new Map<string, string[]>();
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((candidate) => candidate.name.value === 'aws_subscribe');
    const argument = directive?.arguments?.find((candidate) => candidate.name.value === 'mutations');
    const mutations = argument?.value.kind === Kind.LIST ? argument.value.values.flatMap((value) => (value.kind === Kind.STRING ? [value.value] : [])) : [];
    bySubscription.set(field.name, mutations);
  }
  return bySubscription;
}

/** The engine of one AppSync API. */
export class AppSyncEngine implements GraphqlEngine {
  /** The API as read from the model. */
  readonly api: ApiDefinition;
  readonly schema: GraphQLSchema;
  /** Region SigV4 signatures must be scoped to (the model's). */
  readonly region: string;
  /** What the sandbox cannot emulate for this API, each with its consequence; reported at start. */
  readonly unsupported: string[] = [];
  private readonly registry: CapabilityRegistry;
  private readonly model: PlatformModel;
  private readonly logger: Logger;
  private readonly credentials: readonly SigningCredentials[];
  private readonly now: () => number;
  private readonly authorizer: FieldAuthorizer;
  private readonly modes: ReadonlySet<AuthMode>;
  private readonly resolvers = new Map<string, LoadedResolver>();
  private readonly handlers = new Map<string, DataSourceHandler>();
  private readonly subscriptions: Map<string, string[]>;
  private readonly publishedMutations: Set<string>;
  private readonly listeners = new Set<(event: MutationPublished) => void>();

  constructor(options: GraphqlEngineOptions) {
    this.model = options.model;
    this.registry = options.registry;
    this.logger = options.logger ?? SILENT;
    this.credentials = options.credentials ?? [SANDBOX_CREDENTIALS];
    this.now = options.now ?? Date.now;
    this.region = options.model.region;
    const apis = options.model.resources('aws_appsync_graphql_api');
    const resource = options.api ?? apis[0];
    if (!resource) throw new Error('The platform has no aws_appsync_graphql_api');
    if (!options.api && apis.length > 1) throw new Error(`The platform has ${apis.length} AppSync APIs (${apis.map((api) => api.id).join(', ')}); name the one to serve`);

    this.api = readApiDefinition(options.model, resource);
    this.schema = parseAppSyncSchema(this.api.schema);
    installAppSyncScalars(this.schema);
    this.authorizer = new FieldAuthorizer(this.api.defaultAuth);
    this.modes = new Set([this.api.defaultAuth, ...this.api.additionalAuth].map((provider) => provider.mode));
    this.subscriptions = subscribedMutations(this.schema);
    this.publishedMutations = new Set([...this.subscriptions.values()].flat());
    this.checkAuthModes();
    this.checkDataSources();
    this.loadResolvers(options.timeoutMs);
  }

  private checkAuthModes(): void {
    for (const mode of this.modes) {
      if (UNSUPPORTED_MODES.includes(mode)) this.unsupported.push(`Auth mode ${mode}: not emulated; requests can only use the API's other modes`);
    }
    if (this.cognitoProviders().length > 0 && !this.registry.find(COGNITO_VERIFIER_CAPABILITY)) {
      this.unsupported.push(`Auth mode AMAZON_COGNITO_USER_POOLS: no sandbox service provides ${COGNITO_VERIFIER_CAPABILITY}; tokens are refused`);
    }
  }

  private checkDataSources(): void {
    for (const source of this.api.dataSources.values()) {
      if (source.type === 'NONE' || this.registry.find(dataSourceCapability(source.type))) continue;
      this.unsupported.push(`Data source ${source.name} (${source.type}): no sandbox service provides it; resolvers that call it get a data source error`);
    }
  }

  private loadCode(code: CodeSource, name: string, timeoutMs: number | undefined, modules: Map<string, ResolverModule>): ResolverModule {
    if (code.kind !== 'js') throw new ResolverLoadError(code.reason);
    const cached = modules.get(name);
    if (cached) return cached;
    const module = loadResolverCode(code.code, name, timeoutMs === undefined ? {} : { timeoutMs });
    modules.set(name, module);
    return module;
  }

  private loadResolvers(timeoutMs: number | undefined): void {
    const modules = new Map<string, ResolverModule>();
    for (const binding of this.api.resolvers) {
      const coordinate = `${binding.typeName}.${binding.fieldName}`;
      const type = this.schema.getType(binding.typeName);
      if (!isObjectType(type) || !type.getFields()[binding.fieldName]) {
        throw new Error(`Resolver ${coordinate} (${binding.resource.id}): the schema of API ${this.api.name} has no field ${coordinate}`);
      }
      const dataSources = binding.kind === 'UNIT' ? [binding.dataSource ?? ''] : binding.functions.map((fn) => fn.dataSource);
      const missing = dataSources.filter((name) => !this.api.dataSources.has(name));
      if (missing.length > 0) {
        throw new Error(`Resolver ${coordinate} (${binding.resource.id}) uses data source ${missing.map((name) => `'${name}'`).join(', ')}, which API ${this.api.name} does not have`);
      }
      const unsupported = [binding.code, ...binding.functions.map((fn) => fn.code)].find((code) => code.kind === 'unsupported');
      if (unsupported?.kind === 'unsupported') {
        this.unsupported.push(`${unsupported.reason}: ${coordinate} answers an error`);
        this.resolvers.set(coordinate, { binding, coordinate, failure: unsupported.reason });
        continue;
      }
      try {
        const code = this.loadCode(binding.code, coordinate, timeoutMs, modules);
        const definition: ResolverDefinition =
          binding.kind === 'UNIT'
            ? { kind: 'UNIT', name: coordinate, code, dataSource: binding.dataSource as string }
            : {
                kind: 'PIPELINE',
                name: coordinate,
                code,
                functions: binding.functions.map((fn) => ({ name: fn.name, dataSource: fn.dataSource, code: this.loadCode(fn.code, fn.name, timeoutMs, modules) })),
              };
        this.resolvers.set(coordinate, { binding, coordinate, definition });
      } catch (error) {
        if (!(error instanceof ResolverLoadError)) throw error;
        throw new Error(`Resolver ${coordinate} (${binding.resource.id}) cannot be loaded: ${error.message}`, { cause: error });
      }
    }
  }

  private cognitoProviders(): AuthProvider[] {
    return [this.api.defaultAuth, ...this.api.additionalAuth].filter((provider) => provider.mode === 'AMAZON_COGNITO_USER_POOLS' && provider.userPool);
  }

  /** The resolver coordinates (`Type.field`) the engine runs. */
  resolverCoordinates(): string[] {
    return [...this.resolvers.keys()];
  }

  /** The enabled auth modes, default first. */
  authModes(): AuthMode[] {
    return [this.api.defaultAuth, ...this.api.additionalAuth].map((provider) => provider.mode);
  }

  // ---- authentication ------------------------------------------------------------------------------

  async authenticate(request: AuthRequest): Promise<Caller> {
    const headers = request.headers;
    const authorization = headers.authorization?.trim();
    if (authorization) {
      try {
        return isSigV4(headers) ? this.authenticateIam(request) : await this.authenticateToken(authorization, request.sourceIp);
      } catch (error) {
        // A header for a mode the API lacks does not hide a valid API key beside it.
        if (error instanceof AuthenticationError && headers['x-api-key'] !== undefined && this.modes.has('API_KEY')) return this.authenticateApiKey(request);
        throw error;
      }
    }
    if (headers['x-api-key'] !== undefined && this.modes.has('API_KEY')) return this.authenticateApiKey(request);
    throw new AuthenticationError(NOT_AUTHORIZED_MESSAGE);
  }

  private authenticateIam(request: AuthRequest): Caller {
    if (!this.modes.has('AWS_IAM')) throw new AuthenticationError(NOT_AUTHORIZED_MESSAGE);
    const credentials = verifySigV4(request, { credentials: this.credentials, region: this.region, now: this.now });
    return {
      mode: 'AWS_IAM',
      sourceIp: request.sourceIp,
      identity: {
        accountId: this.model.accountId,
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp: [request.sourceIp],
        username: credentials.userId,
        userArn: `arn:aws:iam::${this.model.accountId}:user/${credentials.userName}`,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      },
    };
  }

  private async authenticateToken(authorization: string, sourceIp: string): Promise<Caller> {
    const providers = this.cognitoProviders();
    if (providers.length === 0) throw new AuthenticationError(NOT_AUTHORIZED_MESSAGE);
    const token = authorization.replace(/^Bearer\s+/i, '');
    if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) throw new AuthenticationError('Unable to parse JWT token.');
    const verifier = this.registry.find<CognitoTokenVerifier>(COGNITO_VERIFIER_CAPABILITY);
    if (!verifier) throw new AuthenticationError(NOT_AUTHORIZED_MESSAGE);
    let expired = false;
    for (const provider of providers) {
      const pool = provider.userPool as NonNullable<AuthProvider['userPool']>;
      try {
        const identity = await verifier.verify(authorization, {
          userPoolId: pool.userPoolId,
          ...(pool.appIdClientRegex ? { appIdClientRegex: pool.appIdClientRegex } : {}),
          sourceIp: [sourceIp],
          defaultAuthStrategy: pool.defaultAction ?? 'ALLOW',
        });
        const issuer = String((identity as { issuer?: unknown }).issuer ?? '');
        if (!issuer.endsWith(`/${pool.userPoolId}`)) continue;
        return { mode: 'AMAZON_COGNITO_USER_POOLS', identity, sourceIp };
      } catch (error) {
        const reason = (error as { reason?: unknown }).reason;
        if (reason === 'expired' || /expired/i.test(String((error as Error)?.message))) expired = true;
      }
    }
    throw new AuthenticationError(expired ? 'Token has expired.' : NOT_AUTHORIZED_MESSAGE);
  }

  private authenticateApiKey(request: AuthRequest): Caller {
    const given = request.headers['x-api-key'];
    const key = this.api.apiKeys.find((candidate) => candidate.key === given);
    if (!key || (key.expiresAt !== undefined && key.expiresAt <= this.now())) throw new AuthenticationError(NOT_AUTHORIZED_MESSAGE);
    return { mode: 'API_KEY', identity: null, sourceIp: request.sourceIp };
  }

  // ---- queries and mutations -----------------------------------------------------------------------

  private prepare(request: GraphqlRequest, allowed: readonly OperationTypeNode[]): Prepared | { errors: AppSyncError[] } {
    let document: DocumentNode;
    try {
      document = parse(String(request.query ?? ''));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return { errors: [requestError(`Invalid Syntax : ${error.message.replace(/^Syntax Error: /, '')}`, 'InvalidSyntax', error.locations)] };
    }
    const validation = validateDocument(this.schema, document);
    if (validation.length > 0) return { errors: validation };
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) {
      const message = request.operationName ? `Unknown operation named '${request.operationName}'.` : 'Must provide operation name if query contains multiple operations.';
      return { errors: [requestError(message, 'ValidationError', null)] };
    }
    const location = operation.loc ? [{ line: operation.loc.startToken.line, column: operation.loc.startToken.column }] : null;
    if (!allowed.includes(operation.operation)) {
      const message =
        operation.operation === 'subscription'
          ? 'Subscriptions are not supported over HTTP; subscribe through the real-time endpoint (/graphql/realtime).'
          : `Only subscriptions can be started on the real-time endpoint, not a ${operation.operation}.`;
      return { errors: [requestError(message, 'OperationNotSupported', location)] };
    }
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    const depth = operationDepth(operation, new Map(Object.entries(fragments)));
    if (this.api.queryDepthLimit > 0 && depth > this.api.queryDepthLimit) {
      return { errors: [requestError(`maximum query depth exceeded ${depth} > ${this.api.queryDepthLimit}`, 'ExecutionAborted', null)] };
    }
    if (!this.api.introspection && hasIntrospection(document)) {
      return { errors: [requestError('Introspection has been disabled for this request', 'ValidationError', location)] };
    }
    const rawVariables = isRecord(request.variables) ? request.variables : {};
    const coerced = coerceVariables(this.schema, operation.variableDefinitions ?? [], rawVariables);
    if ('errors' in coerced) return coerced;
    return { document, operation, fragments, variables: coerced.values, rawVariables };
  }

  async execute(request: GraphqlRequest, caller: Caller, headers: Readonly<Record<string, string | undefined>>): Promise<GraphqlResponse> {
    const prepared = this.prepare(request, ['query', 'mutation'] as OperationTypeNode[]);
    if ('errors' in prepared) return { data: null, errors: prepared.errors };
    const state: RequestState = { caller, headers: stringHeaders(headers), prepared, errors: [] };
    const result = await executeGraphql({
      schema: this.schema,
      document: prepared.document,
      operationName: prepared.operation.name?.value ?? null,
      variableValues: prepared.rawVariables,
      contextValue: state,
      rootValue: {},
      fieldResolver: this.resolveField,
    });
    const data = (result.data ?? null) as Record<string, unknown> | null;
    const errors = this.mergeErrors(state.errors, result.errors ?? []);
    if (prepared.operation.operation === 'mutation' && data) this.publish(prepared, data, errors);
    return errors.length > 0 ? { data, errors } : { data };
  }

  /** Resolver errors first; graphql-js's own (null in a non-null field...) only where no error names the path yet. */
  private mergeErrors(recorded: readonly AppSyncError[], completion: readonly GraphQLError[]): AppSyncError[] {
    const paths = new Set(recorded.map((error) => JSON.stringify(error.path ?? null)));
    const leafTypeName = (parent: string, field: string) => {
      const type = this.schema.getType(parent);
      return isObjectType(type) && type.getFields()[field] ? getNamedType(type.getFields()[field]?.type)?.name : undefined;
    };
    const added = completion
      .filter((error) => error.path === undefined || !paths.has(JSON.stringify(error.path)))
      .map((error) => completionError(error, leafTypeName));
    return [...recorded, ...added];
  }

  private readonly resolveField: GraphQLFieldResolver<unknown, RequestState> = (source, args, state, info) => {
    const field = info.parentType.getFields()[info.fieldName] as GraphQLField<unknown, unknown>;
    const path = responsePathAsArray(info.path);
    if (!this.authorizer.allows(state.caller, info.parentType, field)) {
      state.errors.push(unauthorizedField(info.fieldName, info.parentType.name, path, fieldLocations(info.fieldNodes)));
      return null;
    }
    const resolver = this.resolvers.get(`${info.parentType.name}.${info.fieldName}`);
    if (!resolver) return isRecord(source) ? (source[info.fieldName] ?? null) : null;
    const isRoot = [this.schema.getQueryType(), this.schema.getMutationType(), this.schema.getSubscriptionType()].includes(info.parentType);
    return this.runResolver(resolver, {
      caller: state.caller,
      headers: state.headers,
      prepared: state.prepared,
      parentType: info.parentType,
      fieldNodes: info.fieldNodes,
      args: this.appSyncArguments(args, info.fieldNodes[0], state.prepared.rawVariables),
      source: isRoot ? null : source,
    }).then((outcome) => {
      state.errors.push(...outcome.errors.map((error) => resolverError(error, path, fieldLocations(info.fieldNodes))));
      return outcome.data;
    });
  };

  /** AppSync passes an argument bound to a variable the request left out as null, not as absent. */
  private appSyncArguments(args: Record<string, unknown>, node: FieldNode | undefined, rawVariables: Record<string, unknown>): Record<string, unknown> {
    const appsync = { ...args };
    for (const argument of node?.arguments ?? []) {
      if (argument.value.kind === Kind.VARIABLE && !Object.hasOwn(rawVariables, argument.value.name.value) && !(argument.name.value in appsync)) {
        appsync[argument.name.value] = null;
      }
    }
    return appsync;
  }

  private async runResolver(
    resolver: LoadedResolver,
    call: {
      caller: Caller;
      headers: Record<string, string>;
      prepared: Prepared;
      parentType: GraphQLObjectType;
      fieldNodes: readonly FieldNode[];
      args: Record<string, unknown>;
      source: unknown;
    },
  ): Promise<{ data: unknown; errors: GraphQLErrorEntry[]; subscriptionFilter?: unknown }> {
    if (!resolver.definition) {
      return { data: null, errors: [{ message: resolver.failure ?? 'unsupported resolver', errorType: 'UnsupportedOperation', data: null, errorInfo: null }] };
    }
    const fieldName = call.fieldNodes[0]?.name.value ?? resolver.binding.fieldName;
    const ctx = createContext({
      arguments: call.args,
      identity: call.caller.identity,
      source: call.source,
      info: {
        fieldName,
        parentTypeName: call.parentType.name,
        variables: call.prepared.rawVariables,
        selectionSetList: selectionSetList(call.fieldNodes, call.prepared.fragments),
        selectionSetGraphQL: selectionSetGraphQL(call.fieldNodes),
      },
      request: { headers: call.headers, domainName: null },
    });
    const outcome = await executeResolver(resolver.definition, ctx, this.invokeDataSource, { authType: AUTH_TYPES[call.caller.mode] });
    for (const log of outcome.logs) this.logger.info(`${log.source}: ${log.message}`, { level: log.level });
    for (const error of outcome.errors) this.logger.warn(`${resolver.coordinate} answered ${error.errorType ?? 'an error'}: ${error.message}`);
    return { data: outcome.data, errors: outcome.errors, subscriptionFilter: outcome.subscriptionFilter };
  }

  private readonly invokeDataSource: InvokeDataSource = async (name, request, ctx): Promise<DataSourceResponse> => {
    const definition = this.api.dataSources.get(name);
    if (!definition) return { error: { message: `Data source ${name} does not exist`, type: 'DataSourceNotFound' } };
    if (definition.type === 'NONE') return noneDataSource(request);
    let handler = this.handlers.get(name);
    if (!handler) {
      const factory = this.registry.find<DataSourceFactory>(dataSourceCapability(definition.type));
      if (!factory) {
        return { error: { message: `Data source ${name} is of type ${definition.type}, which the sandbox does not emulate`, type: 'UnsupportedDataSource' } };
      }
      handler = factory(definition);
      this.handlers.set(name, handler);
    }
    return handler(request, ctx);
  };

  // ---- subscriptions -------------------------------------------------------------------------------

  private publish(prepared: Prepared, data: Record<string, unknown>, errors: readonly AppSyncError[]): void {
    const failed = new Set(errors.filter((error) => error.path?.length === 1).map((error) => String(error.path?.[0])));
    for (const node of rootFields(prepared.operation.selectionSet, prepared.fragments)) {
      const key = node.alias?.value ?? node.name.value;
      const value = data[key];
      if (!this.publishedMutations.has(node.name.value) || !isRecord(value) || failed.has(key)) continue;
      const event: MutationPublished = { fieldName: node.name.value, payload: unalias(value, node.selectionSet, prepared.fragments) as Record<string, unknown> };
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.logger.error(`A subscriber to ${event.fieldName} failed: ${(error as Error).message}`);
        }
      }
    }
  }

  onMutation(listener: (event: MutationPublished) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async subscribe(request: GraphqlRequest, caller: Caller): Promise<{ subscription: AcceptedSubscription } | { errors: AppSyncError[] }> {
    const prepared = this.prepare(request, ['subscription'] as OperationTypeNode[]);
    if ('errors' in prepared) return prepared;
    const subscriptionType = this.schema.getSubscriptionType() as GraphQLObjectType;
    const [node] = rootFields(prepared.operation.selectionSet, prepared.fragments);
    const field = node ? subscriptionType.getFields()[node.name.value] : undefined;
    if (!node || !field) return { errors: [requestError('A subscription must select one field of the Subscription type', 'ValidationError', null)] };
    const key = node.alias?.value ?? node.name.value;
    const locations = fieldLocations([node]);
    if (!this.authorizer.allows(caller, subscriptionType, field)) return { errors: [unauthorizedField(field.name, subscriptionType.name, [key], locations)] };

    const args = this.appSyncArguments(getArgumentValues(field, node, prepared.variables), node, prepared.rawVariables);
    let filter: unknown;
    const resolver = this.resolvers.get(`${subscriptionType.name}.${field.name}`);
    if (resolver) {
      const outcome = await this.runResolver(resolver, { caller, headers: {}, prepared, parentType: subscriptionType, fieldNodes: [node], args, source: null });
      if (outcome.errors.length > 0) return { errors: outcome.errors.map((error) => resolverError(error, [key], locations)) };
      filter = outcome.subscriptionFilter;
      const problems = filterProblems(filter);
      if (problems.length > 0) return { errors: [resolverError({ message: `Invalid subscription filter: ${problems.join('; ')}`, errorType: 'ValidationError', data: null, errorInfo: null }, [key], locations)] };
    }
    return { subscription: this.acceptedSubscription(prepared, caller, field.name, args, filter) };
  }

  private acceptedSubscription(prepared: Prepared, caller: Caller, fieldName: string, args: Record<string, unknown>, filter: unknown): AcceptedSubscription {
    const mutations = this.subscriptions.get(fieldName) ?? [];
    const subscriptionType = this.schema.getSubscriptionType() as GraphQLObjectType;
    return {
      fieldName,
      mutations,
      arguments: args,
      ...(filter !== undefined && filter !== null ? { filter } : {}),
      matches: (mutationField, payload) =>
        mutations.includes(mutationField) &&
        Object.entries(args).every(([name, value]) => value === null || value === undefined || (name in payload && jsonEqual(payload[name], value))) &&
        matchesFilter(filter, payload),
      shape: (payload) => {
        const errors: AppSyncError[] = [];
        const result = executeSync({
          schema: this.schema,
          document: prepared.document,
          operationName: prepared.operation.name?.value ?? null,
          variableValues: prepared.rawVariables,
          rootValue: {},
          fieldResolver: (source, _args, _context, info) => {
            if (info.parentType === subscriptionType) return payload;
            const field = info.parentType.getFields()[info.fieldName] as GraphQLField<unknown, unknown>;
            if (!this.authorizer.allows(caller, info.parentType, field)) {
              errors.push(unauthorizedField(info.fieldName, info.parentType.name, responsePathAsArray(info.path), fieldLocations(info.fieldNodes)));
              return null;
            }
            return isRecord(source) ? (source[info.fieldName] ?? null) : null;
          },
        });
        const merged = this.mergeErrors(errors, result.errors ?? []);
        const data = (result.data ?? null) as Record<string, unknown> | null;
        return merged.length > 0 ? { data, errors: merged } : { data };
      },
    };
  }
}

/** Builds the engine of the platform's AppSync API; fails naming the resolver whose code does not load. */
export function createGraphqlEngine(options: GraphqlEngineOptions): AppSyncEngine {
  return new AppSyncEngine(options);
}
