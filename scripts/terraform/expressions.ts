// Just enough of Terraform's expression syntax to read what cdktf writes into `output` values:
// template strings with `${...}` interpolations, references with attribute/index/splat steps,
// function calls, literals and tuples. Anything else comes back as `other`.

/** One step after a reference's root: `.name`, `[0]`, `["key"]` or a splat. */
export type Step = { attr: string } | { index: number | string } | { splat: true };

/** A parsed expression. */
export type Expr =
  | { kind: 'ref'; root: string[]; steps: Step[] }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'string'; value: string }
  | { kind: 'template'; parts: TemplatePart[] }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'tuple'; items: Expr[] }
  | { kind: 'other'; text: string };

/** A piece of a template string: literal text or an interpolated expression. */
export type TemplatePart = { text: string } | { expr: string };

const NON_RESOURCE_ROOTS = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/** What a reference's root names: a managed resource, a data source, or something else (var, local...). */
export function rootKind(root: string[]): 'managed' | 'data' | 'other' {
  if (root[0] === 'data') return 'data';
  return NON_RESOURCE_ROOTS.has(root[0]) ? 'other' : 'managed';
}

/** Splits a JSON string value into literal text and `${...}` interpolations (`$${` is a literal `${`). */
export function parseTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('$${', i) || source.startsWith('%%{', i)) {
      text += source.slice(i + 1, i + 3);
      i += 3;
    } else if (source.startsWith('${', i)) {
      const end = findClosing(source, i + 2, '}');
      if (end < 0) {
        text += source.slice(i);
        break;
      }
      if (text) parts.push({ text });
      text = '';
      parts.push({ expr: source.slice(i + 2, end).replace(/^~|~$/g, '').trim() });
      i = end + 1;
    } else {
      text += source[i];
      i += 1;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** Parses a JSON value position: a string becomes a template, a lone `${x}` becomes `x` itself. */
export function parseStringValue(source: string): Expr {
  const parts = parseTemplate(source);
  if (parts.length === 1 && 'expr' in parts[0]) return parseExpression(parts[0].expr);
  if (parts.every((p) => 'text' in p)) return { kind: 'string', value: parts.map((p) => ('text' in p ? p.text : '')).join('') };
  return { kind: 'template', parts };
}

/** Parses the text inside `${...}`. */
export function parseExpression(source: string): Expr {
  const text = stripParens(source.trim());
  if (text === 'true' || text === 'false') return { kind: 'bool', value: text === 'true' };
  if (text === 'null') return { kind: 'null' };
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return { kind: 'number', value: Number(text) };
  if (text.startsWith('"') && findClosing(text, 1, '"') === text.length - 1) {
    return parseStringValue(unquote(text.slice(1, -1)));
  }
  if (text.startsWith('[') && findClosing(text, 1, ']') === text.length - 1) {
    const inner = text.slice(1, -1).trim();
    if (/^for\s/.test(inner)) return { kind: 'other', text };
    return { kind: 'tuple', items: splitTopLevel(inner).map(parseExpression) };
  }
  const call = /^([A-Za-z_][\w:]*)\s*\(/.exec(text);
  if (call && findClosing(text, call[0].length, ')') === text.length - 1) {
    const inner = text.slice(call[0].length, -1).replace(/\.\.\.\s*$/, '');
    return { kind: 'call', name: call[1].replace(/^provider::[\w-]+::/, ''), args: splitTopLevel(inner).map(parseExpression) };
  }
  return parseReference(text) ?? { kind: 'other', text };
}

/** Parses `aws_x.name.attr[0]`, `data.aws_y.name.attr`, `var.x`... into a root and steps. */
export function parseReference(text: string): Expr | undefined {
  const match = /^[A-Za-z_][\w-]*/.exec(text);
  if (!match) return undefined;
  const names = [match[0]];
  const steps: Step[] = [];
  let i = match[0].length;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z_][\w-]*)/.exec(rest))) {
      steps.push({ attr: m[1] });
    } else if ((m = /^\.\*/.exec(rest)) || (m = /^\[\s*\*\s*\]/.exec(rest))) {
      steps.push({ splat: true });
    } else if ((m = /^\[\s*(\d+)\s*\]/.exec(rest))) {
      steps.push({ index: Number(m[1]) });
    } else if ((m = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest))) {
      steps.push({ index: unquote(m[1]) });
    } else if ((m = /^\.(\d+)/.exec(rest))) {
      steps.push({ index: Number(m[1]) });
    } else {
      return undefined;
    }
    i += m[0].length;
  }
  // The root is `data.<type>.<name>` for data sources and two names for the rest:
  // `<type>.<name>` for resources, `var.x`, `local.y`, `module.z`...
  const rootLength = names[0] === 'data' ? 3 : 2;
  while (names.length < rootLength) {
    const step = steps.shift();
    if (!step || !('attr' in step)) return undefined;
    names.push(step.attr);
  }
  return { kind: 'ref', root: names, steps };
}

/** Splits a comma-separated list at depth zero (function arguments, tuple items). */
export function splitTopLevel(source: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '"') {
      i = skipString(source, i + 1);
    } else if (c === '(' || c === '[' || c === '{') {
      depth += 1;
    } else if (c === ')' || c === ']' || c === '}') {
      depth -= 1;
    } else if (c === ',' && depth === 0) {
      items.push(source.slice(start, i));
      start = i + 1;
    }
  }
  items.push(source.slice(start));
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

// Index of the bracket that closes one opened just before `from`, skipping strings and nesting.
function findClosing(source: string, from: number, close: string): number {
  if (close === '"') return skipString(source, from);
  let depth = 0;
  for (let i = from; i < source.length; i += 1) {
    const c = source[i];
    if (c === '"') {
      i = skipString(source, i + 1);
    } else if (c === '(' || c === '[' || c === '{') {
      depth += 1;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return c === close ? i : -1;
      depth -= 1;
    }
  }
  return -1;
}

// Index of the quote that ends a string whose first character is at `from`; interpolations
// inside it may hold quotes of their own.
function skipString(source: string, from: number): number {
  for (let i = from; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (c === '"') return i;
    else if (c === '$' && source[i + 1] === '{') {
      const end = findClosing(source, i + 2, '}');
      if (end < 0) return source.length;
      i = end;
    }
  }
  return source.length;
}

function stripParens(text: string): string {
  let t = text;
  while (t.startsWith('(') && findClosing(t, 1, ')') === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

function unquote(text: string): string {
  return text.replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}
