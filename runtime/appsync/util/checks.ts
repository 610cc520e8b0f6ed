// Null, emptiness and type checks. These are the VTL `$util` helpers; the APPSYNC_JS typings do not
// declare them, but resolvers ported from VTL call them, so they keep their VTL meaning.

/** True for null and undefined. */
export function isNull(value: unknown): boolean {
  return value === null || value === undefined;
}

/** True for null, undefined and the empty string. */
export function isNullOrEmpty(value: unknown): boolean {
  return isNull(value) || value === '';
}

/** True for null, undefined and strings made only of whitespace. */
export function isNullOrBlank(value: unknown): boolean {
  return isNull(value) || (typeof value === 'string' && value.trim() === '');
}

/** The value, or the default when the value is null. */
export function defaultIfNull<T, D>(value: T, defaultValue: D): T | D {
  return isNull(value) ? defaultValue : value;
}

/** The value, or the default when the value is null or empty. */
export function defaultIfNullOrEmpty<T, D>(value: T, defaultValue: D): T | D {
  return isNullOrEmpty(value) ? defaultValue : value;
}

/** The value, or the default when the value is null or blank. */
export function defaultIfNullOrBlank<T, D>(value: T, defaultValue: D): T | D {
  return isNullOrBlank(value) ? defaultValue : value;
}

/** The VTL type name of a value: Null, Number, String, Boolean, List, Map or Object. */
export function typeOf(value: unknown): string {
  if (isNull(value)) return 'Null';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (Array.isArray(value)) return 'List';
  if (typeof value === 'object') return 'Map';
  return 'Object';
}

/** `util.matches`: true when the whole value matches the pattern, like Java's Pattern.matches. */
export function matches(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(String(value));
}
