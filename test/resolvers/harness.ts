import { join } from 'node:path';
import {
  createContext,
  executeResolver,
  type DataSourceResponse,
  type PipelineResolverDefinition,
  type ResolverExecution,
  type UnitResolverDefinition,
} from '../../runtime/appsync';
import { pipelineSteps } from '../../stacks/constructs/graphql-api';
import { applyEnvironment, bundleResolver } from '../../stacks/lib/resolver-bundle';

/** Pipeline functions that use another data source than the table, as stacks/api-stack.ts wires them. */
const FUNCTION_DATA_SOURCES: Record<string, string> = { publishEvents: 'order_events' };

/** The table name the bundled resolvers see. */
export const TABLE = 'orders-test';
const RESOLVERS = join(__dirname, '..', '..', 'resolvers');
const bundles = new Map<string, string>();

/** A resolver file bundled exactly as the stack deploys it, with the test table name filled in. */
export function bundled(file: string): string {
  let code = bundles.get(file);
  if (!code) {
    code = applyEnvironment(bundleResolver(file), { ORDERS_TABLE: TABLE }, file);
    bundles.set(file, code);
  }
  return code;
}

/** The definition of `resolvers/<field>.ts` or the pipeline `resolvers/<field>/`, as the API stack wires it. */
export function definition(field: string): UnitResolverDefinition | PipelineResolverDefinition {
  if (['Mutation.createOrder', 'Mutation.cancelOrder', 'Mutation.publishOrderUpdate'].includes(field)) {
    const folder = join(RESOLVERS, field);
    return {
      kind: 'PIPELINE',
      name: field,
      code: bundled(join(folder, 'index.ts')),
      functions: pipelineSteps(folder, field).map((step) => ({ name: step.name, code: bundled(step.file), dataSource: FUNCTION_DATA_SOURCES[step.name] ?? 'orders_table' })),
    };
  }
  return { kind: 'UNIT', name: field, code: bundled(join(RESOLVERS, `${field}.ts`)), dataSource: 'orders_table' };
}

/** A Cognito user pool caller, as AppSync puts it in ctx.identity. */
export function cognitoUser(sub: string, groups: string[] = ['customer']) {
  return {
    sub,
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test',
    username: sub,
    claims: { sub, 'cognito:groups': groups, token_use: 'id' },
    sourceIp: ['127.0.0.1'],
    defaultAuthStrategy: 'ALLOW',
    groups,
  };
}

/** An IAM-signed backend caller. */
export const iamCaller = {
  accountId: '000000000000',
  cognitoIdentityPoolId: null,
  cognitoIdentityId: null,
  sourceIp: ['127.0.0.1'],
  username: 'AROAEXAMPLE:workflow',
  userArn: 'arn:aws:sts::000000000000:assumed-role/workflow/session',
  cognitoIdentityAuthType: null,
  cognitoIdentityAuthProvider: null,
};

export const alice = cognitoUser('alice-sub');
export const bob = cognitoUser('bob-sub');
export const admin = cognitoUser('admin-sub', ['admin']);

/** A scripted data source: answers requests in order and records them. */
export class ScriptedDataSource {
  readonly requests: unknown[] = [];
  /** The data source each request went to, in order. */
  readonly dataSources: string[] = [];
  private readonly answers: DataSourceResponse[];

  constructor(...answers: DataSourceResponse[]) {
    this.answers = answers;
  }

  readonly invoke = (dataSource: string, request: unknown): DataSourceResponse => {
    this.requests.push(request);
    this.dataSources.push(dataSource);
    const answer = this.answers.shift();
    if (!answer) throw new Error(`Unexpected data source request: ${JSON.stringify(request)}`);
    return answer;
  };
}

/** Runs a resolver for `Type.field` with the given caller and arguments. */
export function run(field: string, identity: unknown, args: Record<string, unknown>, dataSource = new ScriptedDataSource()): Promise<ResolverExecution> {
  const [parentTypeName, fieldName] = field.split('.') as [string, string];
  const ctx = createContext({ arguments: args, identity, info: { parentTypeName, fieldName } });
  return executeResolver(definition(field), ctx, dataSource.invoke);
}

/** A stored order as DynamoDB returns it. */
export function storedOrder(overrides: Record<string, unknown> = {}) {
  return {
    PK: 'ORDER#01JORDER',
    SK: 'ORDER',
    id: '01JORDER',
    owner: 'alice-sub',
    items: [{ sku: 'SKU-1', name: 'Mug', quantity: 2, unitPrice: 1250 }],
    total: 2500,
    currency: 'EUR',
    status: 'PENDING',
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}

/** EventBridge accepted every event. */
export const published = { result: { Entries: [{ EventId: 'eb-1' }], FailedEntryCount: 0 } };
/** The outbox items were deleted. */
export const cleared = { result: { data: {}, unprocessedKeys: {} } };
