// Measures the sandbox's hot paths on this machine: an APPSYNC_JS resolver through the runtime (per GraphQL
// field) and EventBridge pattern matching (per event and rule). Prints numbers; asserts nothing.
import { performance } from 'node:perf_hooks';
import { createContext, executeResolver, loadResolverCode } from '../runtime/appsync';
import { compilePattern } from '../sandbox/services/eventbridge/pattern';
import { applyEnvironment, bundleResolver } from '../stacks/lib/resolver-bundle';

async function measure(name: string, iterations: number, run: () => unknown): Promise<void> {
  for (let index = 0; index < Math.min(1000, iterations / 10); index += 1) await run();
  const started = performance.now();
  for (let index = 0; index < iterations; index += 1) await run();
  const millis = performance.now() - started;
  console.log(`${name.padEnd(58)} ${(iterations / (millis / 1000)).toFixed(0).padStart(9)} ops/s  ${((millis * 1000) / iterations).toFixed(1).padStart(7)} µs/op`);
}

async function main(): Promise<void> {
  const code = applyEnvironment(bundleResolver('resolvers/Query.getOrder.ts'), { ORDERS_TABLE: 'orders-bench' }, 'bench');
  const started = performance.now();
  const module = loadResolverCode(code, 'Query.getOrder');
  console.log(`${'load Query.getOrder bundle into a fresh vm context'.padEnd(58)} ${(performance.now() - started).toFixed(1).padStart(9)} ms`);
  const order = { id: '01JORDER', owner: 'alice', status: 'PENDING', total: 2500 };
  const identity = { sub: 'alice', groups: ['customer'], issuer: 'x', username: 'alice', claims: {}, sourceIp: [], defaultAuthStrategy: 'ALLOW' };
  await measure('Query.getOrder: request + data source + response', 20_000, () =>
    executeResolver({ kind: 'UNIT', code: module, dataSource: 'table' }, createContext({ arguments: { id: '01JORDER' }, identity, info: { fieldName: 'getOrder', parentTypeName: 'Query' } }), () => ({ result: order })),
  );

  const rule = compilePattern({
    source: ['orders.api', 'orders.fulfilment'],
    'detail-type': ['OrderCreated', 'OrderStatusChanged'],
    detail: { data: { status: [{ 'anything-but': ['CANCELLED'] }], total: [{ numeric: ['>', 0, '<=', 100000] }], owner: [{ prefix: 'cust' }] } },
  });
  const event = { source: 'orders.fulfilment', 'detail-type': 'OrderStatusChanged', detail: { data: { status: 'SHIPPED', total: 2500, owner: 'customer-1' } } };
  await measure('EventBridge pattern (5 fields, anything-but, numeric, prefix)', 200_000, () => rule.matches(event));
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
