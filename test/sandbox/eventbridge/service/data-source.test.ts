import { createContext } from '../../../../runtime/appsync';
import { dataSourceCapability, type DataSourceFactory, type DataSourceHandler } from '../../../../sandbox/services/appsync/data-source';
import { BUS, startEventBridgeSandbox, tempDir, writePlatform } from './fixture';

let env: Awaited<ReturnType<typeof startEventBridgeSandbox>>;
let handler: DataSourceHandler;
const dirs: { cleanup: () => void }[] = [];
const ctx = createContext();

beforeAll(async () => {
  const out = tempDir('eb-ds-out-');
  const data = tempDir('eb-ds-data-');
  dirs.push(out, data);
  env = await startEventBridgeSandbox(writePlatform(out.path), data.path);
  const resource = env.model.resources('aws_appsync_datasource')[0];
  if (!resource) throw new Error('The fixture has no AppSync data source');
  const factory = env.sandbox.registry.require<DataSourceFactory>(dataSourceCapability('AMAZON_EVENTBRIDGE'));
  handler = factory({ name: 'events', type: 'AMAZON_EVENTBRIDGE', config: env.model.config(resource) });
});

afterAll(async () => {
  await env.stop();
  for (const dir of dirs) dir.cleanup();
});

describe('the AppSync AMAZON_EVENTBRIDGE data source', () => {
  it('puts the events on the bus of event_bridge_config and answers PutEvents’ result', async () => {
    const response = await handler(
      {
        operation: 'PutEvents',
        events: [
          { source: 'orders.api', detailType: 'OrderCreated', detail: { eventId: 'OrderCreated:ds-1', data: { orderId: 'ds-1' } }, resources: ['order/ds-1'], time: '2024-05-01T10:00:00Z' },
          { source: 'orders.api', detailType: 'OrderCancelled', detail: { eventId: 'OrderCancelled:ds-2' } },
        ],
      },
      ctx,
    );
    expect(response).toEqual({ result: { Entries: [{ EventId: expect.any(String) }, { EventId: expect.any(String) }], FailedEntryCount: 0 } });
    const [first] = (response as { result: { Entries: { EventId: string }[] } }).result.Entries;
    expect(env.inspect.events(BUS).find((event) => event.id === first?.EventId)).toMatchObject({
      source: 'orders.api',
      'detail-type': 'OrderCreated',
      detail: { eventId: 'OrderCreated:ds-1', data: { orderId: 'ds-1' } },
      resources: ['order/ds-1'],
      time: '2024-05-01T10:00:00Z',
    });
  });

  it('reports refused entries in Entries, beside the accepted ones', async () => {
    const response = await handler(
      { operation: 'PutEvents', events: [{ source: 'orders.api', detailType: 'OrderCreated' }, { source: 'orders.api', detailType: 'OrderCreated', detail: { a: 1 } }] },
      ctx,
    );
    expect(response).toEqual({
      result: {
        Entries: [{ ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' }, { EventId: expect.any(String) }],
        FailedEntryCount: 1,
      },
    });
  });

  it('answers a request it cannot run with a data source error', async () => {
    expect(await handler({ operation: 'PutRule', events: [] }, ctx)).toEqual({
      error: { type: 'MappingTemplate', message: 'Unsupported operation PutRule: the EventBridge data source supports PutEvents' },
    });
    const eleven = Array.from({ length: 11 }, () => ({ source: 's', detailType: 'd', detail: {} }));
    expect(await handler({ operation: 'PutEvents', events: eleven }, ctx)).toMatchObject({ error: { type: 'ValidationException' } });
  });

  it('answers an injected PutEvents failure with ctx.error, which leaves the outbox item for a later publish', async () => {
    env.inspect.failNextPutEvents(1, { message: 'EventBridge is unavailable' });
    const request = { operation: 'PutEvents', events: [{ source: 'orders.api', detailType: 'OrderCreated', detail: { eventId: 'OrderCreated:ds-3' } }] };
    expect(await handler(request, ctx)).toEqual({ error: { type: 'InternalException', message: 'EventBridge is unavailable' } });
    expect(await handler(request, ctx)).toMatchObject({ result: { FailedEntryCount: 0 } });
    expect(env.inspect.events(BUS).filter((event) => event.detail.eventId === 'OrderCreated:ds-3')).toHaveLength(1);
  });

  it('refuses a data source without event_bus_arn', () => {
    const factory = env.sandbox.registry.require<DataSourceFactory>(dataSourceCapability('AMAZON_EVENTBRIDGE'));
    expect(() => factory({ name: 'broken', type: 'AMAZON_EVENTBRIDGE', config: {} })).toThrow('AppSync data source broken (AMAZON_EVENTBRIDGE) has no event_bridge_config.event_bus_arn');
  });
});
