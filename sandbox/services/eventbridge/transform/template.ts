// InputTemplate rendering ("Amazon EventBridge input transformation", and what AWS delivers, as recorded by
// LocalStack's AWS-validated snapshots of test_events_inputs):
//
// - A template whose text starts with `{` (a JSON object, the docs' "JSON template") or `[` is JSON: a
//   placeholder outside quotes becomes the value as JSON (strings quoted), a placeholder inside a JSON string
//   becomes the value's text, unescaped ("EventBridge doesn't escape values extracted by Input Path"), and
//   the result must parse as JSON or the event is not delivered.
// - Any other template ("instance <instance> is in <state>", with or without the quotes) is text: strings go
//   in as they are, numbers, booleans and null as their JSON text, and objects and arrays as their JSON with
//   every double quote removed ({"acc_id":"x"} reads {acc_id:x}, ["HIGH"] reads [HIGH]).
// - A variable whose path matched nothing renders as nothing, and as "" where a JSON value is expected.

/** A placeholder occurrence in a template. */
export interface Placeholder {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Inside a JSON string literal (JSON templates only). */
  readonly inString: boolean;
  /** In an object key's position (JSON templates only), which the API forbids. */
  readonly asKey: boolean;
}

/** A template read once: its kind and its placeholders. */
export interface ScannedTemplate {
  readonly kind: 'json' | 'text';
  readonly placeholders: readonly Placeholder[];
}

const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;

/** Finds a template's placeholders and, for a JSON template, where each one sits. */
export function scanTemplate(template: string): ScannedTemplate {
  const trimmed = template.trimStart();
  const kind = trimmed.startsWith('{') || trimmed.startsWith('[') ? 'json' : 'text';
  const placeholders: Placeholder[] = [];
  const containers: ('object' | 'array')[] = [];
  let expectKey = false;
  let string: { key: boolean } | undefined;
  for (let index = 0; index < template.length; index++) {
    const char = template[index] as string;
    const placeholder = char === '<' ? PLACEHOLDER.exec(template.slice(index)) : null;
    if (placeholder) {
      const inString = kind === 'json' && string !== undefined;
      const asKey = kind === 'json' && (inString ? (string as { key: boolean }).key : expectKey && containers.at(-1) === 'object');
      placeholders.push({ name: placeholder[1] as string, start: index, end: index + placeholder[0].length, inString, asKey });
      index += placeholder[0].length - 1;
      continue;
    }
    if (kind === 'text') continue;
    if (string) {
      if (char === '\\') index++;
      else if (char === '"') {
        if (string.key) expectKey = false;
        string = undefined;
      }
      continue;
    }
    switch (char) {
      case '"':
        string = { key: expectKey && containers.at(-1) === 'object' };
        break;
      case '{':
        containers.push('object');
        expectKey = true;
        break;
      case '[':
        containers.push('array');
        expectKey = false;
        break;
      case '}':
      case ']':
        containers.pop();
        expectKey = false;
        break;
      case ',':
        expectKey = containers.at(-1) === 'object';
        break;
      case ':':
        expectKey = false;
        break;
    }
  }
  return { kind, placeholders };
}

/** What a variable holds when rendered: `found` is false when its path matched nothing. */
export type Rendered = { readonly found: true; readonly value: unknown } | { readonly found: false };

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value).replaceAll('"', '');
  return JSON.stringify(value);
}

function render(kind: 'json' | 'text', placeholder: Placeholder, rendered: Rendered): string {
  const asJson = kind === 'json' && !placeholder.inString;
  if (!rendered.found) return asJson ? '""' : '';
  const { value } = rendered;
  if (asJson) return JSON.stringify(value);
  if (kind === 'json') return typeof value === 'string' ? value : JSON.stringify(value);
  return asText(value);
}

/** Fills a scanned template's placeholders with the values `lookup` gives for their names. */
export function fillTemplate(template: string, scanned: ScannedTemplate, lookup: (name: string) => Rendered): string {
  let result = '';
  let last = 0;
  for (const placeholder of scanned.placeholders) {
    result += template.slice(last, placeholder.start) + render(scanned.kind, placeholder, lookup(placeholder.name));
    last = placeholder.end;
  }
  return result + template.slice(last);
}
