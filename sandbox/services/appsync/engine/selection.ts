// Selection sets as AppSync hands them to resolvers (ctx.info) and as it publishes mutation results.
import { Kind, print, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/**
 * `ctx.info.selectionSetList`: the field paths below a field, `/`-separated, by field name (never by
 * alias), fragments flattened, in document order and with repeats, as AppSync lists them. Meta fields
 * such as `__typename` are left out.
 */
export function selectionSetList(fieldNodes: readonly FieldNode[], fragments: Fragments): string[] {
  const list: string[] = [];
  const walk = (selectionSet: SelectionSetNode | undefined, prefix: string, seen: ReadonlySet<string>) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const path = `${prefix}${selection.name.value}`;
        list.push(path);
        walk(selection.selectionSet, `${path}/`, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix, seen);
      } else if (!seen.has(selection.name.value)) {
        walk(fragments[selection.name.value]?.selectionSet, prefix, new Set([...seen, selection.name.value]));
      }
    }
  };
  for (const node of fieldNodes) walk(node.selectionSet, '', new Set());
  return list;
}

/** `ctx.info.selectionSetGraphQL`: the field's selection set as written, fragment spreads left as spreads. */
export function selectionSetGraphQL(fieldNodes: readonly FieldNode[]): string {
  const selectionSet = fieldNodes[0]?.selectionSet;
  return selectionSet ? print(selectionSet) : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(target: unknown, addition: unknown): unknown {
  if (!isRecord(target) || !isRecord(addition)) return addition;
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(addition)) merged[key] = key in merged ? merge(merged[key], value) : value;
  return merged;
}

/**
 * A resolved field's response value keyed by field names instead of the caller's aliases: the payload
 * AppSync publishes to subscribers is what the mutation selected, under the schema's field names.
 * A response key present in the value was selected for its runtime type, so fragment type conditions
 * need no checking.
 */
export function unalias(value: unknown, selectionSet: SelectionSetNode | undefined, fragments: Fragments): unknown {
  if (Array.isArray(value)) return value.map((item) => unalias(item, selectionSet, fragments));
  if (!selectionSet || !isRecord(value)) return value;
  let result: Record<string, unknown> = {};
  const walk = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (!(key in value)) continue;
        const field = unalias(value[key], selection.selectionSet, fragments);
        result = merge(result, { [selection.name.value]: field }) as Record<string, unknown>;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        walk(fragments[selection.name.value]?.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  walk(selectionSet, new Set());
  return result;
}
