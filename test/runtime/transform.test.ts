import { toElasticsearchQueryDSL, toSubscriptionFilter } from '../../runtime/appsync/transform';
import { toDynamoDBExpressionString } from '../../runtime/appsync/transform/dynamodb-expression';

const filter = (input: unknown) => {
  const json = toDynamoDBExpressionString(input);
  return json === null ? null : JSON.parse(json);
};

describe('util.transform.toDynamoDBFilterExpression', () => {
  it('renders the documented example with the documented names and values', () => {
    const result = filter({ title: { contains: 'Hello World' } });

    expect(result.expressionNames).toEqual({ '#title': 'title' });
    expect(result.expressionValues).toEqual({ ':title_contains': { S: 'Hello World' } });
    // the docs print `contains(#title, :title_contains)`; AppSync returns it wrapped and without the space
    expect(result.expression).toBe('(contains(#title,:title_contains))');
  });

  it('returns a JSON string in the key order AppSync uses', () => {
    expect(toDynamoDBExpressionString({ content: { contains: 'foo' } })).toBe(
      '{"expression":"(contains(#content,:content_contains))","expressionNames":{"#content":"content"},"expressionValues":{":content_contains":{"S":"foo"}}}',
    );
  });

  it.each([
    [{ v: { eq: 'x' } }, '(#v = :v_eq)'],
    [{ v: { ne: 'x' } }, '(#v <> :v_ne)'],
    [{ v: { le: 1 } }, '(#v <= :v_le)'],
    [{ v: { gt: 1 } }, '(#v > :v_gt)'],
    [{ v: { notContains: 'x' } }, '(NOT contains(#v,:v_notContains))'],
    [{ v: { beginsWith: 'x' } }, '(begins_with(#v,:v_beginsWith))'],
    [{ v: { between: [1, 9] } }, '(#v BETWEEN :v_between_start AND :v_between_end)'],
    [{ v: { in: ['a', 'b'] } }, '(#v IN (:v_in_0, :v_in_1))'],
    [{ v: { attributeExists: false } }, '(attribute_not_exists(#v))'],
    [{ v: { attributeType: 'stringSet' } }, '(attribute_type(#v,:v_attributeType))'],
    [{ v: { size: { gt: 2 } } }, '(size(#v) > :v_size_gt)'],
    [{ v: { ge: 1, le: 5 } }, '((#v >= :v_ge) AND (#v <= :v_le))'],
    [{ a: { eq: 1 }, b: { eq: 2 } }, '(#a = :a_eq) AND (#b = :b_eq)'],
    [{ and: [{ a: { eq: 1 } }] }, '(#a = :and_0_a_eq)'],
    [{ or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }, '(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))'],
    [{ not: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] } }, '(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))'],
    [{ a: { eq: 1 }, b: {} }, '(#a = :a_eq) AND '],
    [{ v: { in: [] } }, '(null)'],
    [{}, ''],
  ])('renders %j as AppSync does', (input, expression) => {
    expect(filter(input).expression).toBe(expression);
  });

  it('types the values and keeps the between bounds apart', () => {
    const result = filter({ and: [{ id: { attributeExists: true } }, { _version: { eq: 1 } }], v: { between: ['1', '9'] }, t: { attributeType: 'number' } });

    expect(result.expressionValues).toEqual({
      ':and_1__version_eq': { N: 1 },
      ':v_between_start': { S: '1' },
      ':v_between_end': { S: '9' },
      ':t_attributeType': { S: 'N' },
    });
    expect(result.expressionNames).toEqual({ '#id': 'id', '#_version': '_version', '#v': 'v', '#t': 't' });
  });

  it.each([[null], [[]], ['string'], [{ v: { foo: 1 } }], [{ v: 'x' }], [{ and: { a: { eq: 1 } } }], [{ v: { between: [1] } }], [{ v: { attributeType: 'S' } }]])(
    'answers null for %j, which it cannot render',
    (input) => {
      expect(toDynamoDBExpressionString(input)).toBeNull();
    },
  );
});

describe('util.transform.toSubscriptionFilter', () => {
  it('multiplies operators, and and or out into filter groups', () => {
    const result = toSubscriptionFilter({
      percentageUp: { lte: 50, gte: 20 },
      and: [{ title: { ne: 'Book1' } }, { downvotes: { gt: 2000 } }],
      or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
    });

    const groups = result?.filterGroup.map((group) => group.filters.map((f) => `${f.fieldName} ${f.operator} ${String(f.value)}`));
    expect(groups).toEqual([
      ['percentageUp lte 50', 'title ne Book1', 'downvotes gt 2000', 'author eq Admin'],
      ['percentageUp lte 50', 'title ne Book1', 'downvotes gt 2000', 'isPublished eq false'],
      ['percentageUp gte 20', 'title ne Book1', 'downvotes gt 2000', 'author eq Admin'],
      ['percentageUp gte 20', 'title ne Book1', 'downvotes gt 2000', 'isPublished eq false'],
    ]);
  });

  it('drops ignored fields and adds rules as alternatives', () => {
    expect(toSubscriptionFilter({ a: { eq: 1 }, b: { eq: 2 } }, ['b'], { r1: { gte: 250 }, r2: { eq: 'p' } })).toEqual({
      filterGroup: [
        { filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'r1', operator: 'gte', value: 250 }] },
        { filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'r2', operator: 'eq', value: 'p' }] },
      ],
    });
  });

  it('produces no group for an empty filter and null for input it cannot read', () => {
    expect(toSubscriptionFilter({})).toEqual({ filterGroup: [] });
    expect(toSubscriptionFilter(null)).toBeNull();
    expect(toSubscriptionFilter('{"a":{"eq":1}}')).toBeNull();
  });
});

describe('util.transform.toElasticsearchQueryDSL', () => {
  it('renders the documented example', () => {
    const result = JSON.parse(toElasticsearchQueryDSL({ upvotes: { ne: 15, range: [10, 20] }, title: { eq: 'hihihi', wildcard: 'h*i' } }));

    expect(result).toEqual({
      bool: {
        must: [
          { bool: { must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }] } },
          { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
        ],
      },
    });
  });
});
