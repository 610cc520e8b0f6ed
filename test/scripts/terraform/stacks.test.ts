import { orderStacks, type Manifest } from '../../../scripts/terraform/stacks';

const manifest = (deps: Record<string, string[]>): Manifest => ({
  stacks: Object.fromEntries(Object.entries(deps).map(([name, dependencies]) => [name, { name, workingDirectory: `stacks/${name}`, dependencies }])),
});

describe('stack order', () => {
  it('puts each stack after the stacks it depends on, in manifest order otherwise', () => {
    const order = orderStacks(manifest({ api: ['auth', 'data'], auth: ['data'], data: [], web: [] }));
    expect(order.map((s) => s.name)).toEqual(['data', 'auth', 'api', 'web']);
  });

  it('keeps only the stacks asked for, still in dependency order', () => {
    expect(orderStacks(manifest({ api: ['data'], data: [] }), ['api', 'data']).map((s) => s.name)).toEqual(['data', 'api']);
  });

  it('names the known stacks when asked for an unknown one', () => {
    expect(() => orderStacks(manifest({ api: [], data: [] }), ['dta'])).toThrow('Unknown stack "dta"; the synthesized stacks are: api, data');
  });

  it('refuses a dependency cycle, naming it', () => {
    expect(() => orderStacks(manifest({ a: ['b'], b: ['a'] }))).toThrow('Stacks depend on each other in a cycle: a -> b -> a');
  });
});
