import { providerTypesFromSchema, typeAt, type ProvidersSchema } from '../../../scripts/terraform/schema';

// A cut of `terraform providers schema -json` for one resource: plain attributes, a nested
// block and a framework-style nested attribute.
const schema: ProvidersSchema = {
  provider_schemas: {
    'registry.terraform.io/hashicorp/aws': {
      resource_schemas: {
        aws_dynamodb_table: {
          block: {
            attributes: { arn: { type: 'string' }, read_capacity: { type: 'number' }, tags: { type: ['map', 'string'] } },
            block_types: { attribute: { nesting_mode: 'set', block: { attributes: { name: { type: 'string' } } } } },
          },
        },
      },
      data_source_schemas: {
        aws_region: {
          block: {
            attributes: { name: { type: 'string' }, endpoints: { nested_type: { nesting_mode: 'list', attributes: { url: { type: 'string' } } } } },
          },
        },
      },
    },
  },
};

describe('provider value types', () => {
  const types = providerTypesFromSchema(schema);

  it('turns a resource schema into one object type, blocks included', () => {
    expect(types.resources.aws_dynamodb_table).toEqual([
      'object',
      { arn: 'string', read_capacity: 'number', tags: ['map', 'string'], attribute: ['set', ['object', { name: 'string' }]] },
    ]);
    expect(types.dataSources.aws_region).toEqual(['object', { name: 'string', endpoints: ['list', ['object', { url: 'string' }]] }]);
  });

  it('follows attribute, index, key and splat steps', () => {
    const table = types.resources.aws_dynamodb_table;
    expect(typeAt(table, [{ attr: 'read_capacity' }])).toBe('number');
    expect(typeAt(table, [{ attr: 'tags' }, { index: 'env' }])).toBe('string');
    expect(typeAt(table, [{ attr: 'attribute' }, { index: 0 }, { attr: 'name' }])).toBe('string');
    expect(typeAt(table, [{ attr: 'attribute' }, { splat: true }])).toEqual(['list', ['object', { name: 'string' }]]);
    expect(typeAt(table, [{ attr: 'nope' }])).toBeUndefined();
  });
});
