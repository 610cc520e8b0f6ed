// The JSONPath subset EventBridge documents for InputPath and InputPathsMap ("EventBridge does not support
// all JSON Path syntax": dot notation such as `$.detail`, dashes, underscores, alphanumerics, forward
// slashes, array indices and wildcards), plus the bracketed names the InputPath reference allows
// (`$['detail']`). A path without a wildcard selects one value or nothing; a path with one selects the list
// of everything it reaches, as Jayway JsonPath (the Java library this syntax comes from) answers.

type Segment = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'wildcard' };

/** A parsed path. */
export interface JsonPath {
  readonly text: string;
  readonly segments: readonly Segment[];
  readonly definite: boolean;
}

const STEP = /^(?:\.([^.[\]]+)|\[(\d+)\]|\[\*\]|\['([^']*)'\]|\["([^"]*)"\])/;

/** Parses a path; throws a SyntaxError naming it when it is outside the supported syntax. */
export function parseJsonPath(text: string): JsonPath {
  if (!text.startsWith('$')) throw new SyntaxError(`${text} is not a JSON path: it must start with $`);
  const segments: Segment[] = [];
  let rest = text.slice(1);
  while (rest !== '') {
    const step = STEP.exec(rest);
    if (!step) throw new SyntaxError(`${text} is not a JSON path EventBridge supports (at "${rest}")`);
    const [whole, dotted, index, single, double] = step;
    const name = dotted ?? single ?? double;
    if (name === '*' && dotted !== undefined) segments.push({ kind: 'wildcard' });
    else if (name !== undefined) segments.push({ kind: 'name', name });
    else if (index !== undefined) segments.push({ kind: 'index', index: Number(index) });
    else segments.push({ kind: 'wildcard' });
    rest = rest.slice(whole.length);
  }
  return { text, segments, definite: segments.every((segment) => segment.kind !== 'wildcard') };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(value: unknown, segment: Segment): unknown[] {
  switch (segment.kind) {
    case 'name':
      return isRecord(value) && Object.hasOwn(value, segment.name) ? [value[segment.name]] : [];
    case 'index':
      return Array.isArray(value) && segment.index < value.length ? [value[segment.index]] : [];
    case 'wildcard':
      if (Array.isArray(value)) return value;
      return isRecord(value) ? Object.values(value) : [];
  }
}

/** What a path selects: `found` is false when a definite path reaches nothing. */
export type Selection = { readonly found: true; readonly value: unknown } | { readonly found: false };

/** Evaluates a parsed path against a JSON value. */
export function selectJsonPath(path: JsonPath, root: unknown): Selection {
  let values: unknown[] = [root];
  for (const segment of path.segments) values = values.flatMap((value) => step(value, segment));
  if (!path.definite) return { found: true, value: values };
  return values.length === 0 ? { found: false } : { found: true, value: values[0] };
}
