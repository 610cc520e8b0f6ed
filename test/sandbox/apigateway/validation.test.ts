import { BodyValidator, missingParameters, modelUri, type MethodDefinition, type RestApiDefinition } from '../../../sandbox/services/apigateway';

function apiWith(models: Record<string, Record<string, unknown>>): RestApiDefinition {
  return {
    address: 'test:aws_api_gateway_rest_api.api',
    id: 'abc123defg',
    name: 'test-api',
    rootResourceId: 'root',
    methods: [],
    models: new Map(Object.entries(models).map(([name, schema]) => [name, { name, contentType: 'application/json', schema }])),
    gatewayResponses: new Map(),
    stages: new Map(),
  };
}

function method(overrides: Partial<MethodDefinition> = {}): MethodDefinition {
  return {
    address: 'm',
    resourceId: 'r',
    resourcePath: '/orders',
    httpMethod: 'POST',
    authorization: 'NONE',
    apiKeyRequired: false,
    requestParameters: {},
    requestModels: { 'application/json': 'Order' },
    methodResponses: [],
    ...overrides,
  };
}

const ORDER = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Order',
  type: 'object',
  additionalProperties: false,
  required: ['partnerId', 'items'],
  properties: {
    partnerId: { type: 'string', minLength: 2, maxLength: 5 },
    status: { enum: ['NEW', 'PAID'] },
    total: { type: 'number', minimum: 0, maximum: 100, exclusiveMaximum: true },
    email: { type: 'string', format: 'email' },
    items: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer' } },
  },
};

describe('BodyValidator (JSON Schema draft 4, worded like API Gateway)', () => {
  const validator = new BodyValidator(apiWith({ Order: ORDER }));
  const model = validator.modelFor(method(), 'application/json');
  const check = (body: unknown) => validator.validate(model as NonNullable<typeof model>, typeof body === 'string' ? body : JSON.stringify(body));

  it('accepts a valid body', () => {
    expect(check({ partnerId: 'acme', items: [1, 2] })).toEqual({ valid: true });
  });

  it('groups missing required and extra properties per object, as a Java list (in ajv\'s order, which may differ from API Gateway\'s)', () => {
    expect(check({ extra: 1, other: 2 })).toEqual({
      valid: false,
      validationErrorString: '[object has missing required properties (["items","partnerId"]), object instance has properties which are not allowed by the schema: ["extra","other"]]',
    });
  });

  it('words type, length, enum, range, format and array failures as json-schema-validator does', () => {
    const result = check({ partnerId: 'a', status: 'LOST', total: 100, email: 'nope', items: [] });
    expect(result.valid).toBe(false);
    const messages = (result as { validationErrorString: string }).validationErrorString;
    expect(messages).toContain('string "a" is too short (length: 1, required minimum: 2)');
    expect(messages).toContain('instance value ("LOST") not found in enum (possible values: ["NEW","PAID"])');
    expect(messages).toContain('numeric instance is not strictly lower than the required maximum 100');
    expect(messages).toContain('string "nope" is not a valid email address');
    expect(messages).toContain('array is too short: must have at least 1 elements but instance has 0 elements');
    expect(check({ partnerId: 'acme', items: [1, 1.5, 1] })).toEqual({
      valid: false,
      validationErrorString: '[instance type (number) does not match any allowed primitive type (allowed: ["integer"]), array must not contain duplicate elements]',
    });
  });

  it('treats an empty body as {} and a body that is not JSON as invalid', () => {
    expect(check('')).toEqual({ valid: false, validationErrorString: '[object has missing required properties (["items","partnerId"])]' });
    expect(check('{oops').valid).toBe(false);
  });

  it("resolves $ref to another model by API Gateway's model URI", () => {
    const api = apiWith({ Order: ORDER, Batch: { type: 'array', items: { $ref: modelUri('abc123defg', 'Order') } } });
    const batch = new BodyValidator(api);
    const batchModel = batch.modelFor(method({ requestModels: { 'application/json': 'Batch' } }), 'application/json');
    expect(batch.validate(batchModel as NonNullable<typeof batchModel>, JSON.stringify([{ partnerId: 'acme', items: [1] }]))).toEqual({ valid: true });
    expect(batch.validate(batchModel as NonNullable<typeof batchModel>, JSON.stringify([{ items: [1] }])).valid).toBe(false);
  });

  it('picks the model by content type, then $default; a content type without a model is not validated', () => {
    expect(validator.modelFor(method({ requestModels: { $default: 'Order' } }), 'text/plain')?.name).toBe('Order');
    expect(validator.modelFor(method(), 'text/plain')).toBeUndefined();
    expect(validator.modelFor(method({ requestModels: { 'application/json': 'Empty' } }), 'application/json')).toBeUndefined();
  });

  it('fails at construction, naming the model, when a schema does not compile', () => {
    expect(() => new BodyValidator(apiWith({ Broken: { type: 'object', properties: { a: { $ref: '#/definitions/missing' } } } }))).toThrow(/^Model Broken of REST API test-api does not compile: /);
  });
});

describe('missingParameters', () => {
  it('lists required headers and query strings the request lacks, in declared order', () => {
    const get = method({
      requestParameters: { 'method.request.header.X-Partner-Id': true, 'method.request.querystring.page': true, 'method.request.querystring.size': false, 'method.request.path.id': true },
    });
    expect(missingParameters(get, { headers: {}, querystring: {} })).toEqual(['X-Partner-Id', 'page']);
    expect(missingParameters(get, { headers: { 'x-partner-id': 'acme' }, querystring: { page: '1' } })).toEqual([]);
  });
});
