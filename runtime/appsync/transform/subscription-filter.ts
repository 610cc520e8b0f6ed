// util.transform.toSubscriptionFilter. A subscription filter is a list of groups, each an AND of
// single filters, the groups OR-ed. Every operator of a field, every member of an `or` and every
// rule is an alternative, so the groups multiply out in the order the input is written. This
// follows what AppSync's EvaluateCode returns: operators and `not` are not interpreted, only
// `and`/`or` are, groups left empty are dropped, and unreadable input yields null.
import type { SubscriptionFilter } from '../types';

type Filter = { fieldName: string; operator: string; value: unknown };
type Groups = Filter[][];

class Unreadable extends Error {
  override name = 'Unreadable';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function product(factors: Groups[]): Groups {
  let groups: Groups = [[]];
  for (const factor of factors) groups = groups.flatMap((group) => factor.map((alternative) => [...group, ...alternative]));
  return groups;
}

function fieldAlternatives(fieldName: string, operators: unknown): Groups {
  if (!isMap(operators)) throw new Unreadable();
  return Object.entries(operators).map(([operator, value]) => [{ fieldName, operator, value }]);
}

function alternatives(filter: unknown, ignored: ReadonlySet<string>): Groups {
  if (!isMap(filter)) throw new Unreadable();
  const factors: Groups[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new Unreadable();
      const members = value.map((member) => alternatives(member, ignored));
      factors.push(key === 'and' ? product(members) : members.flat());
    } else if (!ignored.has(key)) factors.push(fieldAlternatives(key, value));
  }
  return product(factors);
}

/** Converts a filter object, less ignored fields, with rules of which one must hold. */
export function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  try {
    const ignored = new Set(Array.isArray(ignoredFields) ? ignoredFields.map(String) : []);
    let groups = alternatives(filter, ignored);
    if (isMap(rules) && Object.keys(rules).length > 0) {
      const ruleAlternatives = Object.entries(rules).flatMap(([field, operators]) => fieldAlternatives(field, operators));
      groups = product([groups, ruleAlternatives]);
    }
    return { filterGroup: groups.filter((group) => group.length > 0).map((filters) => ({ filters })) };
  } catch (error) {
    if (error instanceof Unreadable) return null;
    throw error;
  }
}
