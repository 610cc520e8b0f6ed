// One field's match list (`"state": ["running", { "prefix": "stop" }, { "exists": false }]`) compiled into
// value tests, validated with event-ruler's JsonRuleCompiler messages (the text EventBridge returns after
// "Event pattern is not valid. Reason: "). Where Ruler checks one thing before another, so does this, so a
// pattern with several faults in one expression reports the one AWS would.
//
// What each test accepts follows Ruler's byte matching: string operators (prefix, suffix, equals-ignore-case,
// wildcard, cidr) only ever match JSON strings; numeric only JSON numbers; every anything-but form matches any
// value that is not one of its excluded strings or numbers, so null, booleans and the other type match it.
import { fold, foldSuffix, equalsFolded, endsWithFolded, startsWithFolded } from './ignore-case';
import { inRange, parseCidr, parseIpAddress } from './ip';
import { HIGHEST, LOWEST, comparable, patternComparable } from './numbers';
import { matchesWildcard, parseWildcard } from './wildcard';

/** A leaf value of an event: what a field holds once objects and arrays are walked. */
export type Leaf = string | number | boolean | null;

/** Whether one leaf value satisfies one entry of a match list. */
export type ValueTest = (value: Leaf) => boolean;

/** A field's compiled match list: the entries are ORed; `absent` is an `{ "exists": false }` entry. */
export interface FieldPattern {
  readonly tests: readonly ValueTest[];
  readonly absent: boolean;
}

/** Collects a reason found while compiling, at the match list's path. */
export type Report = (reason: string) => void;

const ONE_KEY = 'Only one key allowed in match expression';
// Ruler's wording for any extra key after numeric or anything-but, whatever the operator.
const TOO_MANY = 'Too many elements in numeric expression';

/** Match-expression names that may not be used as field names inside `$or` (Ruler's reserved list). */
export const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How Jackson prints the token Ruler stopped at: a scalar's text, or the bracket that opens or closes. */
function tokenText(value: unknown): string {
  if (value === undefined) return ']';
  if (Array.isArray(value)) return '[';
  if (isRecord(value)) return '{';
  return String(value);
}

function isString(value: Leaf): value is string {
  return typeof value === 'string';
}

function exact(value: string | number | boolean | null): ValueTest {
  if (typeof value === 'string') {
    // Ruler turns a string that is an IP address literal into a one-address range, so other spellings of
    // the same address match it.
    const address = parseIpAddress(value);
    if (address) {
      const range = { bottom: address, top: address };
      return (leaf) => isString(leaf) && inRange(parseIpAddress(leaf) ?? [], range);
    }
  }
  // Numbers compare by value: the docs say by string representation, which a parsed event no longer has.
  return (leaf) => leaf === value;
}

function numericRange(bottom: number, openBottom: boolean, top: number, openTop: boolean): ValueTest {
  if (bottom >= top) throw new RangeError('Bottom must be less than top');
  const low = patternComparable(bottom);
  const high = patternComparable(top);
  return (leaf) => {
    if (typeof leaf !== 'number') return false;
    const value = comparable(leaf);
    if (value === undefined) return false;
    return (openBottom ? value > low : value >= low) && (openTop ? value < high : value <= high);
  };
}

function numericEquals(target: number): ValueTest {
  const expected = patternComparable(target);
  return (leaf) => typeof leaf === 'number' && comparable(leaf) === expected;
}

function compileNumeric(terms: readonly unknown[]): ValueTest {
  const [operator, value] = terms;
  if (typeof operator !== 'string') throw new SyntaxError(`Invalid member in numeric match: ${tokenText(operator)}`);
  switch (operator) {
    case '=':
      if (typeof value !== 'number') throw new SyntaxError('Value of equals must be numeric');
      if (terms.length > 2) throw new SyntaxError(TOO_MANY);
      return numericEquals(value);
    case '>':
    case '>=': {
      if (typeof value !== 'number') throw new SyntaxError(`Value of ${operator} must be numeric`);
      const open = operator === '>';
      if (terms.length === 2) return numericRange(value, open, HIGHEST, false);
      const [, , upper, top] = terms;
      if (typeof upper !== 'string') throw new SyntaxError(`Bad value in numeric range: ${tokenText(upper)}`);
      if (upper !== '<' && upper !== '<=') throw new SyntaxError(`Bad numeric range operator: ${upper}`);
      if (typeof top !== 'number') throw new SyntaxError(`Value of ${upper} must be numeric`);
      if (terms.length > 4) throw new SyntaxError('Too many terms in numeric range expression');
      return numericRange(value, open, top, upper === '<');
    }
    case '<':
    case '<=':
      if (typeof value !== 'number') throw new SyntaxError(`Value of ${operator} must be numeric`);
      if (terms.length > 2) throw new SyntaxError(TOO_MANY);
      return numericRange(LOWEST, false, value, operator === '<');
    default:
      throw new SyntaxError(`Unrecognized numeric range operator: ${operator}`);
  }
}

function anythingButValues(values: readonly unknown[]): ValueTest {
  const hasString = values.some((value) => typeof value === 'string');
  const hasNumber = values.some((value) => typeof value === 'number');
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new SyntaxError('Inside anything but list, start|null|boolean is not supported.');
    }
  }
  if (hasString === hasNumber) {
    throw new SyntaxError('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  if (hasString) {
    const excluded = new Set(values as string[]);
    return (leaf) => !isString(leaf) || !excluded.has(leaf);
  }
  const excluded = new Set((values as number[]).map(patternComparable));
  return (leaf) => {
    if (typeof leaf !== 'number') return true;
    const value = comparable(leaf);
    return value === undefined || !excluded.has(value);
  };
}

type AnythingButSet = 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

function anythingButSet(operator: AnythingButSet, values: readonly unknown[]): ValueTest {
  const strings = values.map((value) => {
    if (typeof value !== 'string') {
      if (operator === 'equals-ignore-case') {
        throw new SyntaxError('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
      }
      throw new SyntaxError(operator === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string');
    }
    if ((operator === 'prefix' || operator === 'suffix') && value === '') throw new SyntaxError('Null prefix/suffix not allowed');
    return value;
  });
  let excluded: (value: string) => boolean;
  switch (operator) {
    case 'equals-ignore-case': {
      const folded = strings.map(fold);
      excluded = (value) => folded.some((each) => equalsFolded(each, value));
      break;
    }
    case 'prefix':
      excluded = (value) => strings.some((prefix) => value.startsWith(prefix));
      break;
    case 'suffix':
      excluded = (value) => strings.some((suffix) => value.endsWith(suffix));
      break;
    case 'wildcard': {
      const wildcards = strings.map(parseWildcard);
      excluded = (value) => wildcards.some((wildcard) => matchesWildcard(wildcard, value));
      break;
    }
  }
  return (leaf) => !isString(leaf) || !excluded(leaf);
}

function compileAnythingBut(value: unknown): ValueTest {
  if (isRecord(value)) {
    const [operator, ...extra] = Object.keys(value);
    if (operator === undefined) throw new SyntaxError('Anything-But expression name not found');
    if (operator !== 'equals-ignore-case' && operator !== 'prefix' && operator !== 'suffix' && operator !== 'wildcard') {
      throw new SyntaxError(`Unsupported anything-but pattern: ${operator}`);
    }
    const inner = value[operator];
    if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
      throw new SyntaxError('Value of anything-but must be an array or single string/number value.');
    }
    const test = anythingButSet(operator, Array.isArray(inner) ? inner : [inner]);
    if (extra.length > 0) throw new SyntaxError(TOO_MANY);
    return test;
  }
  if (Array.isArray(value)) return anythingButValues(value);
  if (typeof value === 'string' || typeof value === 'number') return anythingButValues([value]);
  throw new SyntaxError('Value of anything-but must be an array or single string/number value.');
}

function compileAffix(kind: 'prefix' | 'suffix', value: unknown, extraKeys: boolean): ValueTest {
  const label = kind === 'prefix' ? 'Prefix' : 'Suffix';
  if (isRecord(value)) {
    const [operator, ...extra] = Object.keys(value);
    if (operator === undefined) throw new SyntaxError(`${label} expression name not found`);
    if (operator !== 'equals-ignore-case') throw new SyntaxError(`Unsupported ${kind} pattern: ${operator}`);
    const text = value[operator];
    if (typeof text !== 'string') throw new SyntaxError('equals-ignore-case match pattern must be a string');
    if (extra.length > 0 || extraKeys) throw new SyntaxError(ONE_KEY);
    if (kind === 'prefix') {
      const folded = fold(text);
      return (leaf) => isString(leaf) && startsWithFolded(folded, leaf);
    }
    const folded = foldSuffix(text);
    return (leaf) => isString(leaf) && endsWithFolded(folded, leaf);
  }
  if (typeof value !== 'string') throw new SyntaxError(`${kind} match pattern must be a string`);
  if (extraKeys) throw new SyntaxError(ONE_KEY);
  return kind === 'prefix' ? (leaf) => isString(leaf) && leaf.startsWith(value) : (leaf) => isString(leaf) && leaf.endsWith(value);
}

/** `{ "exists": false }`, which is not a value test: it holds when the field has no value at all. */
export const ABSENT = Symbol('absent');

function compileExpression(expression: Record<string, unknown>): ValueTest | typeof ABSENT {
  const [name, ...extra] = Object.keys(expression);
  if (name === undefined) throw new SyntaxError('Match expression name not found');
  const value = expression[name];
  const oneKey = <T>(result: T): T => {
    if (extra.length > 0) throw new SyntaxError(ONE_KEY);
    return result;
  };
  switch (name) {
    case 'prefix':
    case 'suffix':
      return compileAffix(name, value, extra.length > 0);
    case 'numeric': {
      if (!Array.isArray(value)) throw new SyntaxError('Value of numeric must be an array.');
      const test = compileNumeric(value);
      if (extra.length > 0) throw new SyntaxError(TOO_MANY);
      return test;
    }
    case 'anything-but': {
      const test = compileAnythingBut(value);
      if (extra.length > 0) throw new SyntaxError(TOO_MANY);
      return test;
    }
    case 'exists':
      if (typeof value !== 'boolean') throw new SyntaxError('exists match pattern must be either true or false.');
      return oneKey(value ? () => true : ABSENT);
    case 'cidr': {
      // Ruler's message for a cidr that is not a string really does say "prefix".
      if (typeof value !== 'string') throw new SyntaxError('prefix match pattern must be a string');
      const range = parseCidr(value);
      return oneKey((leaf: Leaf) => {
        if (!isString(leaf)) return false;
        const address = parseIpAddress(leaf);
        return address !== undefined && inRange(address, range);
      });
    }
    case 'equals-ignore-case': {
      if (typeof value !== 'string') throw new SyntaxError('equals-ignore-case match pattern must be a string');
      const folded = fold(value);
      return oneKey((leaf: Leaf) => isString(leaf) && equalsFolded(folded, leaf));
    }
    case 'wildcard': {
      if (typeof value !== 'string') throw new SyntaxError('wildcard match pattern must be a string');
      const wildcard = parseWildcard(value);
      return oneKey((leaf: Leaf) => isString(leaf) && matchesWildcard(wildcard, leaf));
    }
    default:
      throw new SyntaxError(`Unrecognized match type ${name}`);
  }
}

/** Compiles one field's match list, reporting each faulty entry; undefined when nothing usable is left. */
export function compileMatchList(list: readonly unknown[], report: Report): FieldPattern | undefined {
  if (list.length === 0) {
    report('Empty arrays are not allowed');
    return undefined;
  }
  const tests: ValueTest[] = [];
  let absent = false;
  let faulty = false;
  for (const entry of list) {
    if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean' || entry === null) {
      tests.push(exact(entry));
    } else if (isRecord(entry)) {
      try {
        const test = compileExpression(entry);
        if (test === ABSENT) absent = true;
        else tests.push(test);
      } catch (error) {
        // Only the compilers' own complaints are pattern faults; anything else is a bug and propagates.
        if (!(error instanceof SyntaxError || error instanceof RangeError)) throw error;
        report(error.message);
        faulty = true;
      }
    } else {
      report('Match value must be String, number, true, false, or null');
      faulty = true;
    }
  }
  return faulty ? undefined : { tests, absent };
}
