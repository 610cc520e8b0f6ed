import type { Caller } from '../../../../sandbox/services/appsync/contracts';
import { ACCOUNT, apiKeyCaller, cognitoCaller, createFixture, iamCaller, type Fixture } from './fixture';

let fixture: Fixture;
let alice: Caller;

beforeAll(async () => {
  fixture = createFixture();
  alice = await cognitoCaller(fixture.engine, 'alice-sub');
});
afterAll(() => fixture.cleanup());
beforeEach(() => fixture.store.items.clear());

const CREATE = `mutation Create($input: ThingInput!) {
  createThing(input: $input) { id owner name price tags createdAt meta }
}`;
const input = { name: 'Mug', price: 1250, tags: ['kitchen'], createdAt: '2026-11-28T10:00:00.000Z', meta: '{"colour":"blue"}' };

describe('the model', () => {
  it('reads the API, its resolvers and auth modes from the synthesized stack', () => {
    const { engine, model } = fixture;
    expect(engine.api.name).toBe('fixture-api');
    expect(engine.authModes()).toEqual(['AMAZON_COGNITO_USER_POOLS', 'AWS_IAM', 'API_KEY']);
    expect(engine.resolverCoordinates().sort()).toEqual([
      'Mutation.createThing',
      'Mutation.renameThing',
      'Query.adminReport',
      'Query.context',
      'Query.echo',
      'Query.failing',
      'Query.getThing',
      'Query.listThings',
      'Query.whoami',
      'Subscription.onThingChanged',
    ]);
    expect(engine.unsupported).toEqual([]);
    const api = model.resources('aws_appsync_graphql_api')[0]!;
    expect(model.attribute(api, 'id')).toMatch(/^[a-z2-7]{26}$/);
    expect(model.attribute(api, 'arn')).toBe(`arn:aws:appsync:eu-west-1:${ACCOUNT}:apis/${String(model.attribute(api, 'id'))}`);
    expect(model.attribute(api, 'uris')).toEqual({ GRAPHQL: 'https://localhost:4443/graphql', REALTIME: 'wss://localhost:4443/graphql/realtime' });
  });
});

describe('queries and mutations', () => {
  it('runs a pipeline mutation and a unit query through the data source', async () => {
    const created = await fixture.engine.execute({ query: CREATE, variables: { input } }, alice, {});
    expect(created).toEqual({
      data: { createThing: { id: 'T-Mug', owner: 'alice-sub', name: 'Mug', price: 1250, tags: ['kitchen'], createdAt: input.createdAt, meta: '{"colour":"blue"}' } },
    });
    // AWSJSON arguments reach resolvers parsed, as AppSync does.
    expect(fixture.store.items.get('T-Mug')).toMatchObject({ meta: { colour: 'blue' }, metaType: 'object', owner: 'alice-sub' });

    const read = await fixture.engine.execute({ query: 'query { getThing(id: "T-Mug") { id name alias: price } }' }, alice, {});
    expect(read).toEqual({ data: { getThing: { id: 'T-Mug', name: 'Mug', alias: 1250 } } });
    expect(fixture.store.requests.at(-1)).toMatchObject({ dataSource: 'things', request: { operation: 'get', id: 'T-Mug' } });
  });

  it('hands resolvers AppSync-shaped ctx.info, arguments and request', async () => {
    const response = await fixture.engine.execute(
      {
        query: `query Q($note: String) { context(note: $note) }
                query Other($x: String) { context(note: $x) }`,
        variables: { extra: 'passed on' },
        operationName: 'Q',
      },
      alice,
      { 'x-test': 'yes', authorization: 'token' },
    );
    const context = JSON.parse(String((response.data as { context: string }).context));
    expect(context).toEqual({
      args: { note: null },
      info: { fieldName: 'context', parentTypeName: 'Query', variables: { extra: 'passed on' }, selectionSetList: [], selectionSetGraphQL: '' },
      source: null,
      headers: { 'x-test': 'yes', authorization: 'token' },
      domainName: null,
      authType: 'User Pool Authorization',
    });
  });

  it('lists the selection set by field name, fragments flattened', async () => {
    await fixture.engine.execute(
      { query: 'query { getThing(id: "x") { id label: name ...F ... on Thing { tags } } } fragment F on Thing { price __typename }' },
      alice,
      {},
    );
    expect(fixture.store.requests.at(-1)?.info).toEqual({
      fieldName: 'getThing',
      parentTypeName: 'Query',
      variables: {},
      selectionSetList: ['id', 'name', 'price', 'tags'],
      selectionSetGraphQL: '{\n  id\n  label: name\n  ...F\n  ... on Thing {\n    tags\n  }\n}',
    });
  });

  it("answers a resolver's util.error in AppSync's error shape, with the field null", async () => {
    const response = await fixture.engine.execute({ query: 'query {\n  failing { id }\n  whoami\n}' }, alice, {});
    expect(response).toEqual({
      data: { failing: null, whoami: 'User Pool Authorization:alice-sub' },
      errors: [
        {
          path: ['failing'],
          data: { partial: true },
          errorType: 'CustomError',
          errorInfo: { hint: 'none' },
          locations: [{ line: 2, column: 3, sourceName: null }],
          message: 'failing: always fails',
        },
      ],
    });
  });

  it('stops a pipeline at a failing function and reports it at the mutation', async () => {
    const response = await fixture.engine.execute({ query: CREATE, variables: { input: { ...input, price: -1 } } }, alice, {});
    expect(response.data).toEqual({ createThing: null });
    expect(response.errors).toEqual([expect.objectContaining({ path: ['createThing'], errorType: 'ValidationError', message: 'input.price must not be negative' })]);
    expect(fixture.store.items.size).toBe(0);
  });

  it('resolves fields without a resolver from the parent value, and root fields without one to null', async () => {
    const response = await fixture.engine.execute({ query: '{ unresolved listThings { id } }' }, alice, {});
    expect(response).toEqual({ data: { unresolved: null, listThings: [] } });
  });

  it("reports a null in a non-null field in graphql-java's words, once per path", async () => {
    fixture.store.items.set('broken', { id: 'broken', owner: 'alice-sub', price: 1, createdAt: '2026-01-01T00:00:00Z' });
    const response = await fixture.engine.execute({ query: '{ getThing(id: "broken") { id name } }' }, alice, {});
    expect(response).toEqual({
      data: { getThing: null },
      errors: [
        {
          path: ['getThing', 'name'],
          locations: null,
          message: "Cannot return null for non-nullable type: 'String' within parent 'Thing' (/getThing/name)",
          errorType: 'NullValueInNonNullableField',
        },
      ],
    });
  });

  it('reports a value a scalar cannot serialize', async () => {
    fixture.store.items.set('late', { id: 'late', owner: 'a', name: 'n', price: 1, createdAt: 'yesterday' });
    const response = await fixture.engine.execute({ query: '{ getThing(id: "late") { id createdAt } }' }, alice, {});
    expect(response.errors).toEqual([
      {
        path: ['getThing', 'createdAt'],
        locations: null,
        message: "Can't serialize value (/getThing/createdAt) : Unable to serialize `yesterday` as a valid DateTime Object.",
        errorType: 'DataFetchingException',
      },
    ]);
  });
});

describe('request validation', () => {
  const run = (query: string, variables?: Record<string, unknown>) => fixture.engine.execute({ query, ...(variables ? { variables } : {}) }, alice, {});

  it('answers an unknown field as AppSync (graphql-java) does', async () => {
    expect(await run('{badfield}')).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 2, sourceName: null }],
          message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'",
          errorType: 'ValidationError',
        },
      ],
    });
  });

  it('names nested paths, missing arguments and sub-selections', async () => {
    const messages = async (query: string) => (await run(query)).errors?.map((error) => error.message);
    expect(await messages('{ getThing(id: "1") { id nope } }')).toEqual(["Validation error of type FieldUndefined: Field 'nope' in type 'Thing' is undefined @ 'getThing/nope'"]);
    expect(await messages('{ getThing { id } }')).toEqual(["Validation error of type MissingFieldArgument: Missing field argument id @ 'getThing'"]);
    expect(await messages('{ getThing(id: "1") }')).toEqual(["Validation error of type SubSelectionRequired: Sub selection required for type Thing of field getThing @ 'getThing'"]);
    expect(await messages('{ whoami { id } }')).toEqual(["Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type String of field whoami @ 'whoami'"]);
  });

  it('quotes a wrong literal the way graphql-java prints it', async () => {
    const response = await run('{ echo(at: "yesterday") }');
    expect(response.errors?.[0]).toEqual({
      path: null,
      locations: [{ line: 1, column: 8, sourceName: null }],
      message: "Validation error of type WrongType: argument 'at' with value 'StringValue{value='yesterday'}' is not a valid 'AWSDateTime' @ 'echo'",
      errorType: 'ValidationError',
    });
    const nested = await run('mutation { createThing(input: { name: "a", price: 1, createdAt: "2026-01-01" }) { id } }');
    expect(nested.errors?.[0]?.message).toBe(
      "Validation error of type WrongType: argument 'input.createdAt' with value 'StringValue{value='2026-01-01'}' is not a valid 'AWSDateTime' @ 'createThing'",
    );
    const object = await run('{ echo(json: { a: 1 }) }');
    expect(object.errors?.[0]?.message).toBe(
      "Validation error of type WrongType: argument 'json' with value 'ObjectValue{objectFields=[ObjectField{name='a', value=IntValue{value=1}}]}' is not a valid 'AWSJSON' @ 'echo'",
    );
    const missing = await run('mutation { createThing(input: { name: "a" }) { id } }');
    expect(missing.errors?.[0]?.message).toMatch(/^Validation error of type WrongType: argument 'input' with value 'ObjectValue\{.*\}' is missing required fields '\[price, createdAt\]' @ 'createThing'$/);
  });

  it('rejects invalid variables with the variable location', async () => {
    const response = await run('mutation Create($input: ThingInput!) { createThing(input: $input) { id } }', { input: { ...input, createdAt: 'soon' } });
    expect(response).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 17, sourceName: null }],
          message: "Variable 'createdAt' has an invalid value. Unable to parse `soon` as a valid DateTime Object.",
          errorType: 'ValidationError',
        },
      ],
    });
    expect((await run('query Q($id: ID!) { getThing(id: $id) { id } }', {})).errors?.[0]?.message).toBe("Variable 'id' has coerced Null value for NonNull type 'ID!'");
    expect((await run(CREATE, { input: { ...input, colour: 'red' } })).errors?.[0]).toMatchObject({
      locations: null,
      message: "The variables input contains a field that is not defined for input object type 'ThingInput' ",
    });
    expect((await run('query Q($l: Int) { listThings(limit: $l) { id } }', { l: 'ten' })).errors?.[0]?.message).toBe(
      "Variable 'l' has an invalid value. Expected type 'Int' but was 'String'.",
    );
  });

  it('answers a syntax error, an unknown operation and the depth limit', async () => {
    expect((await run('query {')).errors?.[0]).toMatchObject({ message: 'Invalid Syntax : Expected Name, found <EOF>.', errorType: 'InvalidSyntax' });
    expect((await fixture.engine.execute({ query: 'query A { whoami } query B { whoami }' }, alice, {})).errors?.[0]?.message).toBe(
      'Must provide operation name if query contains multiple operations.',
    );
    const deep = await run('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }');
    expect(deep.errors).toEqual([{ path: null, locations: null, message: 'maximum query depth exceeded 7 > 5', errorType: 'ExecutionAborted' }]);
  });

  it('refuses subscriptions over HTTP', async () => {
    const response = await run('subscription { onThingChanged { id } }');
    expect(response.data).toBeNull();
    expect(response.errors?.[0]).toMatchObject({ errorType: 'OperationNotSupported' });
  });
});

describe('field authorization', () => {
  it("reads fields by the API's default mode when neither field nor type has directives", async () => {
    const response = await fixture.engine.execute({ query: '{ listThings { id } }' }, iamCaller, {});
    expect(response).toEqual({
      data: null,
      errors: [
        {
          path: ['listThings'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Not Authorized to access listThings on type Query',
        },
      ],
    });
  });

  it('refuses a Cognito caller an IAM-only mutation with AppSync’s message', async () => {
    const response = await fixture.engine.execute({ query: 'mutation { renameThing(id: "T-Mug", name: "Cup") { id } }' }, alice, {});
    expect(response).toEqual({
      data: { renameThing: null },
      errors: [expect.objectContaining({ path: ['renameThing'], errorType: 'Unauthorized', message: 'Not Authorized to access renameThing on type Mutation' })],
    });
    expect(fixture.store.requests.some((call) => (call.request as { operation: string }).operation === 'rename')).toBe(false);
  });

  it('lets IAM run the IAM mutation and read fields its type allows, and util.authType() says IAM', async () => {
    fixture.store.items.set('T-Mug', { id: 'T-Mug', owner: 'alice-sub', name: 'Mug', price: 1, createdAt: '2026-01-01T00:00:00Z', secret: 'x' });
    const response = await fixture.engine.execute({ query: 'mutation { renameThing(id: "T-Mug", name: "Cup") { id name secret } }' }, iamCaller, {});
    expect(response).toEqual({ data: { renameThing: { id: 'T-Mug', name: 'Cup', secret: 'x' } } });
    expect((await fixture.engine.execute({ query: '{ whoami }' }, iamCaller, {})).data).toEqual({ whoami: 'IAM Authorization:AIDA' });
  });

  it('applies field directives over type directives (the default mode no longer implied)', async () => {
    fixture.store.items.set('T-Mug', { id: 'T-Mug', owner: 'alice-sub', name: 'Mug', price: 1, createdAt: '2026-01-01T00:00:00Z', secret: 'x' });
    const response = await fixture.engine.execute({ query: '{ getThing(id: "T-Mug") { id secret } }' }, alice, {});
    expect(response).toEqual({
      data: { getThing: { id: 'T-Mug', secret: null } },
      errors: [expect.objectContaining({ path: ['getThing', 'secret'], message: 'Not Authorized to access secret on type Thing' })],
    });
    // API key callers may only read fields naming @aws_api_key.
    const keyed = await fixture.engine.execute({ query: '{ whoami echo(email: "a@b.example") getThing(id: "T-Mug") { id } }' }, apiKeyCaller, {});
    expect(keyed.data).toEqual({ whoami: 'API Key Authorization:anonymous', echo: '{"email":"a@b.example"}', getThing: null });
    expect(keyed.errors?.map((error) => error.message)).toEqual(['Not Authorized to access getThing on type Query']);
  });

  it('admits only members of cognito_groups', async () => {
    const admin = await cognitoCaller(fixture.engine, 'root-sub', ['admin']);
    expect((await fixture.engine.execute({ query: '{ adminReport }' }, admin, {})).data).toEqual({ adminReport: 'report' });
    const refused = await fixture.engine.execute({ query: '{ adminReport }' }, alice, {});
    expect(refused.errors?.[0]?.message).toBe('Not Authorized to access adminReport on type Query');
    const customer = await cognitoCaller(fixture.engine, 'bob-sub', ['customer']);
    expect((await fixture.engine.execute({ query: '{ adminReport }' }, customer, {})).data).toEqual({ adminReport: null });
  });
});
