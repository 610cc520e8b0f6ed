// util.transform.toElasticsearchQueryDSL. Each operator becomes one query clause; a field with
// several operators and an object with several fields become `bool.must`, as in the AWS example.
// With a single operator or field the clause stands alone (the docs show no single-clause example).

type Query = Record<string, unknown>;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function must(clauses: Query[]): Query {
  return clauses.length === 1 ? clauses[0] : { bool: { must: clauses } };
}

function operatorClause(field: string, operator: string, value: unknown): Query {
  switch (operator) {
    case 'eq':
      return { term: { [field]: value } };
    case 'ne':
      return { bool: { must_not: { term: { [field]: value } } } };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { range: { [field]: { [operator]: value } } };
    case 'range': {
      if (!Array.isArray(value) || value.length < 2) throw new Error(`'range' on '${field}' needs two bounds`);
      return { range: { [field]: { gte: value[0], lte: value[1] } } };
    }
    case 'match':
      return { match: { [field]: value } };
    case 'matchPhrase':
      return { match_phrase: { [field]: value } };
    case 'matchPhrasePrefix':
      return { match_phrase_prefix: { [field]: value } };
    case 'multiMatch':
      return { multi_match: { query: value, fields: [field] } };
    case 'wildcard':
      return { wildcard: { [field]: value } };
    case 'regexp':
      return { regexp: { [field]: value } };
    case 'exists':
      return value ? { exists: { field } } : { bool: { must_not: { exists: { field } } } };
    default:
      throw new Error(`Unsupported OpenSearch operator '${operator}' on '${field}'`);
  }
}

function query(filter: unknown): Query {
  if (!isMap(filter)) throw new Error('toElasticsearchQueryDSL expects an object');
  const clauses: Query[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') {
      const members = (Array.isArray(value) ? value : [value]).map(query);
      clauses.push(key === 'and' ? { bool: { must: members } } : { bool: { should: members, minimum_should_match: 1 } });
    } else if (key === 'not') clauses.push({ bool: { must_not: query(value) } });
    else {
      if (!isMap(value)) throw new Error(`Field '${key}' needs an object of operators`);
      clauses.push(must(Object.entries(value).map(([operator, operand]) => operatorClause(key, operator, operand))));
    }
  }
  return must(clauses);
}

/** Converts a filter object to an OpenSearch Query DSL JSON string. */
export function toElasticsearchQueryDSL(filter: unknown): string {
  return JSON.stringify(query(filter));
}
