import { App } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../../../../config';
import { CapabilityRegistry } from '../../../../sandbox/core/service';
import { PlatformModel } from '../../../../sandbox/model/platform-model';
import type { Caller, MutationPublished } from '../../../../sandbox/services/appsync/contracts';
import { dataSourceCapability, type DataSourceDefinition } from '../../../../sandbox/services/appsync/data-source';
import { createGraphqlEngine, registerAppSyncAttributes, type AppSyncEngine } from '../../../../sandbox/services/appsync/engine';
import { createPlatform } from '../../../../stacks/platform';
import { fakeVerifier, iamCaller, token } from './fixture';

// The API exactly as `npm run synth` writes it, with DynamoDB faked: every resolver must load and run.
let outdir: string;
let engine: AppSyncEngine;
let alice: Caller;
const requests: { dataSource: string; table: unknown; request: Record<string, unknown> }[] = [];

const product = { PK: 'PRODUCT#MUG-1', SK: 'PRODUCT', sku: 'MUG-1', name: 'Mug', price: 1250, currency: 'EUR', stock: 3, createdAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:00:00.000Z' };
const order = {
  PK: 'ORDER#01JORDER',
  id: '01JORDER',
  owner: 'alice-sub',
  items: [{ sku: 'MUG-1', name: 'Mug', quantity: 2, unitPrice: 1250 }],
  total: 2500,
  currency: 'EUR',
  status: 'RESERVED',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
};

function fakeDynamoDb(definition: DataSourceDefinition) {
  return async (request: unknown) => {
    const call = request as Record<string, unknown>;
    requests.push({ dataSource: definition.name, table: (definition.config.dynamodb_config as { table_name?: unknown }).table_name, request: call });
    switch (call.operation) {
      case 'Query':
        return { result: { items: [product], nextToken: null, scannedCount: 1 } };
      case 'GetItem':
        return { result: order };
      case 'UpdateItem':
        return { result: { ...order, status: 'PAID', statusReason: 'card captured' } };
      default:
        return { error: { message: `unexpected ${String(call.operation)}`, type: 'DynamoDB:ValidationException' } };
    }
  };
}

/** EventBridge accepts every event; the mutations publish through it. */
function fakeEventBridge(definition: DataSourceDefinition) {
  return async (request: unknown) => {
    const call = request as { events?: unknown[] };
    requests.push({ dataSource: definition.name, table: null, request: call as Record<string, unknown> });
    return { result: { Entries: (call.events ?? []).map((_, index) => ({ EventId: `event-${index}` })), FailedEntryCount: 0 } };
  };
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'appsync-real-api-'));
  outdir = join(root, 'cdktf.out');
  const app = new App({ outdir });
  createPlatform(app, loadEnvironment('local'));
  app.synth();
  const model = new PlatformModel(outdir);
  registerAppSyncAttributes(model, { host: '127.0.0.1', httpsPort: 4443 });
  const registry = new CapabilityRegistry();
  registry.provide(dataSourceCapability('AMAZON_DYNAMODB'), fakeDynamoDb);
  registry.provide(dataSourceCapability('AMAZON_EVENTBRIDGE'), fakeEventBridge);
  registry.provide('cognito.verifier', fakeVerifier);
  engine = createGraphqlEngine({ model, registry });
  const poolId = engine.api.defaultAuth.userPool?.userPoolId;
  alice = await engine.authenticate({
    headers: { authorization: token({ sub: 'alice-sub', iss: `http://127.0.0.1:9229/${poolId}` }) },
    method: 'POST',
    path: '/graphql',
    body: '',
    sourceIp: '127.0.0.1',
  });
}, 60000);

afterAll(() => rmSync(join(outdir, '..'), { recursive: true, force: true }));

describe('the synthesized orders API', () => {
  it('loads every resolver of the stack, with nothing unsupported', () => {
    expect(engine.unsupported).toEqual([]);
    expect(engine.resolverCoordinates().sort()).toEqual([
      'Mutation.cancelOrder',
      'Mutation.createOrder',
      'Mutation.publishOrderUpdate',
      'Mutation.upsertProduct',
      'Query.getOrder',
      'Query.getProduct',
      'Query.listMyOrders',
      'Query.listOrders',
      'Query.listProducts',
      'Subscription.onOrderUpdated',
    ]);
    expect(engine.authModes()).toEqual(['AMAZON_COGNITO_USER_POOLS', 'AWS_IAM']);
  });

  it('runs listProducts against the DynamoDB data source', async () => {
    const response = await engine.execute({ query: '{ listProducts(limit: 5) { items { sku name price currency stock createdAt } nextToken } }' }, alice, {});
    expect(response).toEqual({
      data: { listProducts: { items: [{ sku: 'MUG-1', name: 'Mug', price: 1250, currency: 'EUR', stock: 3, createdAt: '2026-11-28T10:00:00.000Z' }], nextToken: null } },
    });
    expect(requests.at(-1)).toMatchObject({ dataSource: 'orders_table', table: 'orders-local-orders', request: { operation: 'Query', index: 'GSI1', limit: 5 } });
  });

  it('lets only IAM callers publish order updates, and publishes them to onOrderUpdated subscribers', async () => {
    const mutation = 'mutation { publishOrderUpdate(input: { id: "01JORDER", status: PAID, reason: "card captured" }) { id owner status statusReason } }';
    const refused = await engine.execute({ query: mutation }, alice, {});
    expect(refused.errors?.map((error) => error.message)).toEqual(['Not Authorized to access publishOrderUpdate on type Mutation']);

    const accepted = await engine.subscribe({ query: 'subscription { onOrderUpdated { id status owner } }' }, alice);
    if ('errors' in accepted) throw new Error(JSON.stringify(accepted.errors));
    expect(accepted.subscription.filter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'alice-sub' }] }] });

    const events: MutationPublished[] = [];
    const stop = engine.onMutation((event) => events.push(event));
    // The pipeline's first handler insists on util.authType() === 'IAM Authorization'.
    const response = await engine.execute({ query: mutation }, iamCaller, {});
    stop();
    expect(response).toEqual({ data: { publishOrderUpdate: { id: '01JORDER', owner: 'alice-sub', status: 'PAID', statusReason: 'card captured' } } });
    expect(events).toEqual([{ fieldName: 'publishOrderUpdate', payload: { id: '01JORDER', owner: 'alice-sub', status: 'PAID', statusReason: 'card captured' } }]);
    const [event] = events as [MutationPublished];
    expect(accepted.subscription.matches(event.fieldName, event.payload)).toBe(true);
    expect(accepted.subscription.shape(event.payload)).toEqual({ data: { onOrderUpdated: { id: '01JORDER', status: 'PAID', owner: 'alice-sub' } } });
  });
});
