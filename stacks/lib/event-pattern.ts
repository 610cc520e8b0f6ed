/** An EventBridge event pattern (or SNS filter policy): fields map to nested patterns or to arrays of values and matchers. */
export type EventPattern = { readonly [field: string]: EventPattern | readonly unknown[] };

/**
 * Problems with a pattern's shape, each naming the field: the pattern must be a non-empty object whose every
 * leaf is a non-empty array (EventBridge and SNS reject a bare value where a list of values belongs).
 */
export function patternShapeProblems(pattern: unknown, label: string): string[] {
  if (!isObject(pattern) || Object.keys(pattern).length === 0) return [`${label} must be a non-empty object`];
  return Object.entries(pattern).flatMap(([field, value]) => fieldProblems(value, `${label}.${field}`));
}

function fieldProblems(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [`${path} must list at least one value`] : [];
  if (isObject(value)) {
    if (Object.keys(value).length === 0) return [`${path} must not be empty`];
    return Object.entries(value).flatMap(([field, nested]) => fieldProblems(nested, `${path}.${field}`));
  }
  return [`${path} must be an array of values or matchers, or a nested pattern`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON Terraform stores, with `${` and `%{` escaped so Terraform does not read a pattern as a template. */
export function patternJson(pattern: EventPattern): string {
  return JSON.stringify(pattern).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
