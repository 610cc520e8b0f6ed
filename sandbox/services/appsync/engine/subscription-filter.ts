// Evaluates AppSync enhanced subscription filters against a mutation's published payload
// (https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html):
// `filterGroup` is an OR of groups, each group an AND of `{ fieldName, operator, value }`; a dotted
// fieldName reads a nested field. A field the payload lacks (the mutation did not select it) reads as
// null, so `eq` and the other positive operators fail on it and their negations hold.

/** One condition of a filter group. */
export interface FilterCondition {
  readonly fieldName: string;
  readonly operator: string;
  readonly value: unknown;
}

/** The filter `extensions.setSubscriptionFilter` takes. */
export interface EnhancedFilter {
  readonly filterGroup: readonly { readonly filters: readonly FilterCondition[] }[];
}

/** The operators AppSync's enhanced filters support. */
export const FILTER_OPERATORS = ['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny'] as const;

const LIST_OPERATORS = new Set(['in', 'notIn', 'between', 'containsAny']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural problems of a filter, each naming where it is; empty when the filter is usable. */
export function filterProblems(filter: unknown): string[] {
  if (filter === null || filter === undefined) return [];
  if (!isRecord(filter) || !Array.isArray(filter.filterGroup)) return ['the filter must be an object with a filterGroup list'];
  const problems: string[] = [];
  filter.filterGroup.forEach((group: unknown, groupIndex) => {
    if (!isRecord(group) || !Array.isArray(group.filters)) {
      problems.push(`filterGroup[${groupIndex}] must be an object with a filters list`);
      return;
    }
    group.filters.forEach((condition: unknown, index) => {
      const where = `filterGroup[${groupIndex}].filters[${index}]`;
      if (!isRecord(condition) || typeof condition.fieldName !== 'string' || condition.fieldName === '') {
        problems.push(`${where} must have a fieldName`);
        return;
      }
      if (!(FILTER_OPERATORS as readonly string[]).includes(String(condition.operator))) {
        problems.push(`${where} (${condition.fieldName}) has operator ${String(condition.operator)}; AppSync supports ${FILTER_OPERATORS.join(', ')}`);
      } else if (LIST_OPERATORS.has(String(condition.operator)) && !Array.isArray(condition.value)) {
        problems.push(`${where} (${condition.fieldName}) operator ${String(condition.operator)} takes a list`);
      } else if (condition.operator === 'between' && (condition.value as unknown[]).length !== 2) {
        problems.push(`${where} (${condition.fieldName}) operator between takes [low, high]`);
      }
    });
  });
  return problems;
}

function read(payload: unknown, fieldName: string): unknown {
  let current = payload;
  for (const part of fieldName.split('.')) {
    if (!isRecord(current)) return null;
    current = current[part];
  }
  return current === undefined ? null : current;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => equal(item, b[index]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => equal(a[key], b[key]));
  }
  return false;
}

function comparable(a: unknown, b: unknown): a is number | string {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}

function compare(field: unknown, value: unknown, test: (order: number) => boolean): boolean {
  if (!comparable(field, value)) return false;
  return test(field < (value as typeof field) ? -1 : field > (value as typeof field) ? 1 : 0);
}

function contains(field: unknown, value: unknown): boolean {
  if (typeof field === 'string') return typeof value === 'string' && field.includes(value);
  if (Array.isArray(field)) return field.some((item) => equal(item, value));
  return false;
}

/** Whether one condition holds for a payload. */
export function conditionHolds(condition: FilterCondition, payload: unknown): boolean {
  const field = read(payload, condition.fieldName);
  const value = condition.value;
  const list = Array.isArray(value) ? value : [];
  switch (condition.operator) {
    case 'eq':
      return equal(field, value);
    case 'ne':
      return !equal(field, value);
    case 'lt':
      return compare(field, value, (order) => order < 0);
    case 'le':
      return compare(field, value, (order) => order <= 0);
    case 'gt':
      return compare(field, value, (order) => order > 0);
    case 'ge':
      return compare(field, value, (order) => order >= 0);
    case 'contains':
      return contains(field, value);
    case 'notContains':
      return !contains(field, value);
    case 'beginsWith':
      return typeof field === 'string' && typeof value === 'string' && field.startsWith(value);
    case 'in':
      return list.some((candidate) => equal(field, candidate));
    case 'notIn':
      return !list.some((candidate) => equal(field, candidate));
    case 'between':
      return compare(field, list[0], (order) => order >= 0) && compare(field, list[1], (order) => order <= 0);
    case 'containsAny':
      return Array.isArray(field) && list.some((candidate) => contains(field, candidate));
    default:
      return false;
  }
}

/** Whether a payload passes an enhanced filter; no filter, or one without groups, passes everything. */
export function matchesFilter(filter: unknown, payload: unknown): boolean {
  if (filter === null || filter === undefined) return true;
  const groups = (filter as EnhancedFilter).filterGroup ?? [];
  if (groups.length === 0) return true;
  return groups.some((group) => group.filters.every((condition) => conditionHolds(condition, payload)));
}
