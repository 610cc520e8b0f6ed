// An event as event-ruler sees it when it matches (rulesForJSONEvent): a list of leaf fields named by their
// dot-joined path, so {"detail": {"state": {"status": "x"}}} and {"detail": {"state.status": "x"}} both hold
// the field `detail.state.status` (AWS matches both against either spelling of the pattern). Each field
// remembers which element of which array it sits in, so that a match may not take two fields from different
// elements of one array ("array consistency"). Objects and arrays are never values: a field that holds
// {} or [] has no leaf and, to exists, does not exist.
import type { Leaf } from './matchers';

/** Array id -> element index, for each array (of objects or arrays) a field sits inside. */
export type Membership = ReadonlyMap<number, number>;

/** One leaf of an event. */
export interface EventField {
  readonly value: Leaf;
  readonly membership: Membership;
}

/** An event's leaves by dot-joined path, restricted to the paths a pattern names. */
export type EventFields = ReadonlyMap<string, readonly EventField[]>;

/**
 * Flattens an event. `wanted` holds every path a pattern names and every dot-boundary prefix of one, so
 * subtrees no rule can reach are skipped (Ruler skips them the same way).
 */
export function eventFields(event: object, wanted: ReadonlySet<string>): EventFields {
  const fields = new Map<string, EventField[]>();
  const membership = new Map<number, number>();
  let arrays = 0;

  const add = (path: string, value: Leaf) => {
    const list = fields.get(path) ?? [];
    list.push({ value, membership: new Map(membership) });
    fields.set(path, list);
  };
  const visit = (path: string, value: unknown) => {
    if (Array.isArray(value)) {
      const id = arrays++;
      value.forEach((element, index) => {
        // Like Ruler, only objects and arrays inside an array are tied to their element; scalars are not.
        if (typeof element === 'object' && element !== null) {
          membership.set(id, index);
          visit(path, element);
          membership.delete(id);
        } else {
          add(path, element as Leaf);
        }
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (wanted.has(childPath)) visit(childPath, child);
      }
    } else if (value !== undefined) {
      add(path, value as Leaf);
    }
  };
  visit('', event);
  return fields;
}

/** The memberships of a match so far plus one more field's, or undefined when they disagree on an array. */
export function joinMembership(soFar: Membership, field: Membership): Membership | undefined {
  if (field.size === 0) return soFar;
  let joined: Map<number, number> | undefined;
  for (const [array, index] of field) {
    const seen = soFar.get(array);
    if (seen === undefined) {
      joined ??= new Map(soFar);
      joined.set(array, index);
    } else if (seen !== index) {
      return undefined;
    }
  }
  return joined ?? soFar;
}
