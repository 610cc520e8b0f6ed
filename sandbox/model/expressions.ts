/**
 * The slice of Terraform's expression language that cdktf emits: `${...}` templates holding references
 * (`aws_x.y.attr`, `data.x.y.attr`, `a.b["key"]`, `a.b[0]`) and a few functions. A template that is one
 * interpolation keeps its value's type, as in Terraform; anything else becomes a string.
 */

/** Looks a reference up: the traversal's parts, e.g. ['aws_dynamodb_table', 'orders', 'arn']. */
export type ReferenceResolver = (parts: readonly (string | number)[]) => unknown;

type Expression =
  | { kind: 'literal'; value: unknown }
  | { kind: 'reference'; parts: (string | number)[] }
  | { kind: 'call'; name: string; args: Expression[] };

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  lookup: (map, key, fallback) => {
    const record = map as Record<string, unknown>;
    if (record && typeof record === 'object' && String(key) in record) return record[String(key)];
    if (fallback !== undefined) return fallback;
    throw new Error(`lookup: no key "${String(key)}"`);
  },
  jsonencode: (value) => JSON.stringify(value),
  jsondecode: (value) => JSON.parse(String(value)),
  join: (separator, list) => (list as unknown[]).join(String(separator)),
  element: (list, index) => (list as unknown[])[Number(index) % (list as unknown[]).length],
  tostring: (value) => String(value),
  tonumber: (value) => Number(value),
  tolist: (value) => [...(value as unknown[])],
  toset: (value) => [...new Set(value as unknown[])],
  length: (value) => (Array.isArray(value) ? value.length : typeof value === 'string' ? value.length : Object.keys(value as object).length),
  concat: (...lists) => (lists as unknown[][]).flat(),
  format: (pattern, ...args) => {
    let index = 0;
    return String(pattern).replace(/%[sdv%]/g, (token) => (token === '%%' ? '%' : String(args[index++])));
  },
};

/** Whether a value holds a Terraform interpolation that must be resolved. */
export function hasInterpolation(value: string): boolean {
  return /(^|[^$])\$\{/.test(value) || /(^|[^%])%\{/.test(value);
}

/** Evaluates one Terraform template string. */
export function evaluateTemplate(template: string, resolve: ReferenceResolver): unknown {
  const parts: unknown[] = [];
  let text = '';
  let position = 0;
  while (position < template.length) {
    if (template.startsWith('$${', position)) {
      text += '${';
      position += 3;
    } else if (template.startsWith('%%{', position)) {
      text += '%{';
      position += 3;
    } else if (template.startsWith('${', position)) {
      const end = closingBrace(template, position + 2);
      if (text) parts.push(text);
      text = '';
      parts.push(evaluate(parse(template.slice(position + 2, end).trim()), resolve));
      position = end + 1;
    } else if (template.startsWith('%{', position)) {
      throw new Error(`Template directives (%{...}) are not supported: ${template.slice(position, position + 40)}`);
    } else {
      text += template[position];
      position += 1;
    }
  }
  if (text) parts.push(text);
  if (parts.length === 1 && template.startsWith('${') && !template.startsWith('$${')) return parts[0];
  return parts.map((part) => (typeof part === 'string' ? part : typeof part === 'object' ? JSON.stringify(part) : String(part))).join('');
}

function closingBrace(template: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let index = from; index < template.length; index += 1) {
    const char = template[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  throw new Error(`Unterminated interpolation in: ${template.slice(from - 2, from + 60)}`);
}

/** Parses one expression: a traversal, a string or number literal, or a function call. */
export function parse(source: string): Expression {
  const tokens = tokenize(source);
  let index = 0;
  const peek = () => tokens[index];
  const next = () => {
    const token = tokens[index];
    if (token === undefined) throw new Error(`Unexpected end of expression: ${source}`);
    index += 1;
    return token;
  };
  const expect = (value: string) => {
    const token = next();
    if (token.value !== value) throw new Error(`Expected "${value}" in expression: ${source}`);
  };
  const expression = (): Expression => {
    const token = next();
    if (token.type === 'string') return { kind: 'literal', value: token.value };
    if (token.type === 'number') return { kind: 'literal', value: Number(token.value) };
    if (token.type !== 'name') throw new Error(`Unexpected "${token.value}" in expression: ${source}`);
    if (token.value === 'true' || token.value === 'false') return { kind: 'literal', value: token.value === 'true' };
    if (token.value === 'null') return { kind: 'literal', value: null };
    if (peek()?.value === '(') {
      next();
      const args: Expression[] = [];
      while (peek()?.value !== ')') {
        args.push(expression());
        if (peek()?.value === ',') next();
      }
      expect(')');
      return { kind: 'call', name: token.value, args };
    }
    const parts: (string | number)[] = [token.value];
    for (;;) {
      const following = peek();
      if (following?.value === '.') {
        next();
        const part = next();
        parts.push(part.type === 'number' ? Number(part.value) : part.value);
      } else if (following?.value === '[') {
        next();
        const key = next();
        parts.push(key.type === 'number' ? Number(key.value) : key.value);
        expect(']');
      } else break;
    }
    return { kind: 'reference', parts };
  };
  const result = expression();
  if (index !== tokens.length) throw new Error(`Unsupported expression (only references, literals and function calls): ${source}`);
  return result;
}

type Token = { type: 'name' | 'string' | 'number' | 'punct'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index] as string;
    if (/\s/.test(char)) index += 1;
    else if (char === '"') {
      let value = '';
      index += 1;
      while (index < source.length && source[index] !== '"') {
        if (source[index] === '\\') index += 1;
        value += source[index];
        index += 1;
      }
      index += 1;
      tokens.push({ type: 'string', value });
    } else if (/[0-9]/.test(char)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(index)) as RegExpExecArray;
      tokens.push({ type: 'number', value: match[0] });
      index += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(index)) as RegExpExecArray;
      tokens.push({ type: 'name', value: match[0] });
      index += match[0].length;
    } else if ('.[](),'.includes(char)) {
      tokens.push({ type: 'punct', value: char });
      index += 1;
    } else {
      throw new Error(`Unsupported character "${char}" in expression: ${source}`);
    }
  }
  return tokens;
}

function evaluate(expression: Expression, resolve: ReferenceResolver): unknown {
  if (expression.kind === 'literal') return expression.value;
  if (expression.kind === 'reference') return resolve(expression.parts);
  const fn = FUNCTIONS[expression.name];
  if (!fn) throw new Error(`Terraform function ${expression.name}() is not supported by the sandbox`);
  return fn(...expression.args.map((arg) => evaluate(arg, resolve)));
}
