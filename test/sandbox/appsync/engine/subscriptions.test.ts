import type { AcceptedSubscription, Caller, MutationPublished } from '../../../../sandbox/services/appsync/contracts';
import { cognitoCaller, createFixture, iamCaller, type Fixture } from './fixture';

let fixture: Fixture;
let alice: Caller;
let admin: Caller;

beforeAll(async () => {
  fixture = createFixture();
  alice = await cognitoCaller(fixture.engine, 'alice-sub');
  admin = await cognitoCaller(fixture.engine, 'root-sub', ['admin']);
});
afterAll(() => fixture.cleanup());

const input = { name: 'Mug', price: 1250, createdAt: '2026-11-28T10:00:00.000Z' };

async function accepted(query: string, caller: Caller, variables?: Record<string, unknown>): Promise<AcceptedSubscription> {
  const result = await fixture.engine.subscribe({ query, ...(variables ? { variables } : {}) }, caller);
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return result.subscription;
}

describe('publishing mutations', () => {
  it('publishes what the mutation selected, by field name, to onMutation listeners', async () => {
    const events: MutationPublished[] = [];
    const stop = fixture.engine.onMutation((event) => events.push(event));
    await fixture.engine.execute(
      { query: 'mutation M($input: ThingInput!) { made: createThing(input: $input) { id title: name owner ...P } } fragment P on Thing { price }', variables: { input } },
      alice,
      {},
    );
    stop();
    await fixture.engine.execute({ query: 'mutation M($input: ThingInput!) { createThing(input: $input) { id } }', variables: { input } }, alice, {});
    expect(events).toEqual([{ fieldName: 'createThing', payload: { id: 'T-Mug', name: 'Mug', owner: 'alice-sub', price: 1250 } }]);
  });

  it('does not publish a mutation that failed', async () => {
    const events: MutationPublished[] = [];
    const stop = fixture.engine.onMutation((event) => events.push(event));
    await fixture.engine.execute({ query: 'mutation { renameThing(id: "nope", name: "x") { id } }' }, iamCaller, {});
    await fixture.engine.execute({ query: 'mutation M($input: ThingInput!) { createThing(input: $input) { id } }', variables: { input: { ...input, price: -1 } } }, alice, {});
    stop();
    expect(events).toEqual([]);
  });
});

describe('subscribe', () => {
  it('accepts a subscription with the filter its resolver set and the mutations that feed it', async () => {
    const subscription = await accepted('subscription { onThingChanged { id name owner } }', alice);
    expect(subscription).toMatchObject({
      fieldName: 'onThingChanged',
      mutations: ['createThing', 'renameThing'],
      arguments: {},
      filter: { filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'alice-sub' }] }] },
    });
    expect(subscription.matches('createThing', { id: 'T-1', owner: 'alice-sub' })).toBe(true);
    expect(subscription.matches('createThing', { id: 'T-2', owner: 'bob-sub' })).toBe(false);
    // Without owner in the mutation's selection the enhanced filter cannot hold.
    expect(subscription.matches('renameThing', { id: 'T-1', name: 'x' })).toBe(false);
    expect(subscription.matches('deleteThing', { id: 'T-1', owner: 'alice-sub' })).toBe(false);
  });

  it('filters on non-null arguments against top-level payload fields', async () => {
    const subscription = await accepted('subscription S($name: String, $owner: String) { onThingChanged(name: $name, owner: $owner) { id } }', admin, { name: 'Mug' });
    expect(subscription.filter).toBeUndefined();
    expect(subscription.arguments).toEqual({ name: 'Mug', owner: null });
    expect(subscription.matches('createThing', { id: '1', name: 'Mug', owner: 'anyone' })).toBe(true);
    expect(subscription.matches('createThing', { id: '1', name: 'Cup', owner: 'anyone' })).toBe(false);
    expect(subscription.matches('createThing', { id: '1' })).toBe(false);
  });

  it("shapes a payload with the subscription's selection: unselected fields are null", async () => {
    const subscription = await accepted('subscription { onThingChanged { id label: name tags secret } }', alice);
    expect(subscription.shape({ id: 'T-1', name: 'Mug', owner: 'alice-sub' })).toEqual({
      data: { onThingChanged: { id: 'T-1', label: 'Mug', tags: null, secret: null } },
      errors: [expect.objectContaining({ path: ['onThingChanged', 'secret'], errorType: 'Unauthorized', message: 'Not Authorized to access secret on type Thing' })],
    });
    const strict = await accepted('subscription { onThingChanged { id price } }', alice);
    expect(strict.shape({ id: 'T-1' })).toEqual({
      data: { onThingChanged: null },
      errors: [expect.objectContaining({ path: ['onThingChanged', 'price'], message: "Cannot return null for non-nullable type: 'Int' within parent 'Thing' (/onThingChanged/price)" })],
    });
  });

  it('refuses callers the field does not admit, and what the resolver refuses', async () => {
    expect(await fixture.engine.subscribe({ query: 'subscription { onThingChanged { id } }' }, iamCaller)).toEqual({
      errors: [
        {
          path: ['onThingChanged'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 16, sourceName: null }],
          message: 'Not Authorized to access onThingChanged on type Subscription',
        },
      ],
    });
  });

  it('validates the subscription document and refuses queries', async () => {
    const invalid = await fixture.engine.subscribe({ query: 'subscription { onThingChanged { id nope } }' }, alice);
    expect(invalid).toEqual({ errors: [expect.objectContaining({ message: "Validation error of type FieldUndefined: Field 'nope' in type 'Thing' is undefined @ 'onThingChanged/nope'" })] });
    const twoFields = await fixture.engine.subscribe({ query: 'subscription { a: onThingChanged { id } b: onThingChanged { id } }' }, alice);
    expect('errors' in twoFields && twoFields.errors[0]?.message).toBe('Validation error of type SubscriptionMultipleRootFields: Subscription operation must have exactly one root field');
    const query = await fixture.engine.subscribe({ query: '{ whoami }' }, alice);
    expect(query).toEqual({ errors: [expect.objectContaining({ errorType: 'OperationNotSupported' })] });
  });
});
