// Wildcard values ("Wildcard matching" in eb-create-pattern-operators): `*` matches zero or more characters,
// `\*` is a literal star and `\\` a literal backslash; two stars in a row and a backslash before anything
// else are errors. Ruler reports positions as UTF-8 byte offsets into the value wrapped in its JSON quotes,
// so the first character of the value is at position 1.

/** A wildcard value split at its unescaped stars: the literal text between them. */
export interface Wildcard {
  readonly segments: readonly string[];
}

/** Parses a wildcard value; throws Ruler's message for consecutive stars or a bad escape. */
export function parseWildcard(value: string): Wildcard {
  const segments: string[] = [];
  let current = '';
  let byte = 1;
  for (let index = 0; index < value.length; ) {
    const char = String.fromCodePoint(value.codePointAt(index) as number);
    if (char === '*') {
      if (value[index + 1] === '*') throw new SyntaxError(`Consecutive wildcard characters at pos ${byte}`);
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = value[index + 1];
      if (next !== '*' && next !== '\\') throw new SyntaxError(`Invalid escape character at pos ${byte}`);
      current += next;
      index += 1;
      byte += 1;
    } else {
      current += char;
    }
    index += char.length;
    byte += Buffer.byteLength(char);
  }
  segments.push(current);
  return { segments };
}

/** Whether a string matches a parsed wildcard. */
export function matchesWildcard(wildcard: Wildcard, value: string): boolean {
  const { segments } = wildcard;
  const first = segments[0] as string;
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] as string;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // Only stars separate the middle segments, so taking each at its earliest place is never worse.
  let position = first.length;
  const end = value.length - last.length;
  for (const segment of segments.slice(1, -1)) {
    const found = value.indexOf(segment, position);
    if (found < 0 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}
