// The JSONPath subset API Gateway mapping templates use in `$input.path` and `$input.json`: `$`, `.name`,
// `['name']`, `[0]` (negative from the end), `[*]`/`.*` and `..name`. A path with a wildcard or a deep scan
// yields the list of matches, as Jayway JsonPath (API Gateway's implementation) does.

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' } | { kind: 'deep'; key: string };

/** A JSONPath the sandbox cannot read; the message names the path. */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

function parse(path: string): Step[] {
  const text = path.trim();
  if (!text.startsWith('$')) throw new JsonPathError(`JSONPath ${path} must start with $`);
  const steps: Step[] = [];
  let position = 1;
  const identifier = () => {
    const match = /^[^.[\]\s]+/.exec(text.slice(position));
    if (!match) throw new JsonPathError(`JSONPath ${path}: a name is expected at ${position}`);
    position += match[0].length;
    return match[0];
  };
  while (position < text.length) {
    if (text.startsWith('..', position)) {
      position += 2;
      steps.push({ kind: 'deep', key: identifier() });
    } else if (text[position] === '.') {
      position += 1;
      if (text[position] === '*') {
        position += 1;
        steps.push({ kind: 'wildcard' });
      } else steps.push({ kind: 'key', key: identifier() });
    } else if (text[position] === '[') {
      const close = text.indexOf(']', position);
      if (close < 0) throw new JsonPathError(`JSONPath ${path}: [ without ]`);
      const inner = text.slice(position + 1, close).trim();
      position = close + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'key', key: inner.slice(1, -1) });
      else throw new JsonPathError(`JSONPath ${path}: [${inner}] is not supported (filters and slices are not emulated)`);
    } else throw new JsonPathError(`JSONPath ${path}: unexpected ${text[position]} at ${position}`);
  }
  return steps;
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.values(value);
  return [];
}

function deepScan(value: unknown, key: string, found: unknown[]): void {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key)) found.push((value as Record<string, unknown>)[key]);
  for (const child of children(value)) deepScan(child, key, found);
}

/** The value at `path` in `document`: undefined when a definite path leads nowhere, a list for wildcards and deep scans. */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  const steps = parse(path);
  let definite = true;
  let current: unknown[] = [document];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'key') {
        if (value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, step.key)) next.push((value as Record<string, unknown>)[step.key]);
      } else if (step.kind === 'index') {
        if (Array.isArray(value)) {
          const index = step.index < 0 ? value.length + step.index : step.index;
          if (index >= 0 && index < value.length) next.push(value[index]);
        }
      } else if (step.kind === 'wildcard') {
        definite = false;
        next.push(...children(value));
      } else {
        definite = false;
        deepScan(value, step.key, next);
      }
    }
    current = next;
  }
  return definite ? current[0] : current;
}
