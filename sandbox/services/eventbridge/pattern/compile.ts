// Compiles an EventBridge event pattern the way event-ruler's JsonRuleCompiler does: nested objects become
// dot-joined field paths, and every `$or` multiplies the pattern into sub-rules (each an AND of fields), any
// one of which matching is a match. A path given twice keeps its last match list, as the docs' note on
// duplicate keys says. Matching is Ruler's array-consistent search: the sub-rule's fields are taken in
// sorted path order, each choosing an event field whose array elements agree with those chosen before it,
// and `{ "exists": false }` holds when no such agreeing field exists.
import { InvalidEventPatternException, type PatternProblem } from './errors';
import { eventFields, joinMembership, type EventFields, type Membership } from './event-fields';
import { compileMatchList, RESERVED_IN_OR, type FieldPattern } from './matchers';

/** "APIs that accept an event pattern ... throw an InvalidEventPatternException if the use of $or results in over 1000 rule combinations." */
export const MAX_RULE_COMBINATIONS = 1000;

/** A validated event pattern, ready to test events against. */
export interface CompiledPattern {
  /** The pattern as given, parsed. */
  readonly pattern: Readonly<Record<string, unknown>>;
  /** How many AND-combinations the pattern's `$or`s expand to (1 without `$or`). */
  readonly combinations: number;
  /** Whether the event matches the pattern. Throws a TypeError when the event is not a JSON object. */
  matches(event: object): boolean;
}

type SubRule = Map<string, FieldPattern>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class PatternCompiler {
  readonly problems: PatternProblem[] = [];

  report(path: string, reason: string): void {
    this.problems.push({ path, reason });
  }

  object(rules: SubRule[], object: Record<string, unknown>, prefix: string, where: string, insideOr: boolean): SubRule[] {
    const entries = Object.entries(object);
    if (entries.length === 0) this.report(where, 'Empty objects are not allowed');
    let current = rules;
    for (const [key, value] of entries) {
      const keyWhere = where === '' ? key : `${where}.${key}`;
      if (key === '$or') {
        current = this.or(current, value, prefix, keyWhere);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(key)) {
        this.report(keyWhere, `${key} is Ruler reserved fieldName which cannot be used inside $or.`);
        continue;
      }
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (isRecord(value)) {
        current = this.object(current, value, path, keyWhere, insideOr);
      } else if (Array.isArray(value)) {
        const field = compileMatchList(value, (reason) => this.report(keyWhere, reason));
        if (field) current = current.length === 0 ? [new Map([[path, field]])] : current.map((rule) => new Map(rule).set(path, field));
      } else {
        this.report(keyWhere, `"${key}" must be an object or an array`);
      }
    }
    return current;
  }

  or(rules: SubRule[], value: unknown, prefix: string, where: string): SubRule[] {
    if (!Array.isArray(value)) {
      this.report(where, 'It must be an Array followed with $or.');
      return rules;
    }
    const expanded: SubRule[] = [];
    value.forEach((branch, index) => {
      const branchWhere = `${where}[${index}]`;
      if (!isRecord(branch)) {
        this.report(branchWhere, 'Only JSON object is allowed in array of $or relationship.');
        return;
      }
      // Stop multiplying once past the limit: the pattern is rejected anyway, and the product can explode.
      if (expanded.length > MAX_RULE_COMBINATIONS) return;
      const start = rules.length === 0 ? [new Map()] : rules.map((rule) => new Map(rule));
      expanded.push(...this.object(start, branch, prefix, branchWhere, true));
    });
    if (value.length < 2) this.report(where, 'There must have at least 2 Objects in $or relationship.');
    return expanded;
  }
}

/** Sub-rules as sorted [path, field] lists, and every path (with its dot-boundary prefixes) they read. */
interface Compiled {
  readonly rules: readonly (readonly [string, FieldPattern])[][];
  readonly wanted: ReadonlySet<string>;
}

function matchesRule(rule: readonly (readonly [string, FieldPattern])[], fields: EventFields, index: number, membership: Membership): boolean {
  if (index === rule.length) return true;
  const [path, field] = rule[index] as readonly [string, FieldPattern];
  const candidates = fields.get(path) ?? [];
  if (field.absent && !candidates.some((candidate) => joinMembership(membership, candidate.membership))) {
    if (matchesRule(rule, fields, index + 1, membership)) return true;
  }
  for (const candidate of candidates) {
    const joined = joinMembership(membership, candidate.membership);
    if (joined && field.tests.some((test) => test(candidate.value)) && matchesRule(rule, fields, index + 1, joined)) return true;
  }
  return false;
}

function compile(pattern: Record<string, unknown>): Compiled {
  const compiler = new PatternCompiler();
  const subRules = compiler.object([], pattern, '', '', false);
  if (subRules.length > MAX_RULE_COMBINATIONS) {
    compiler.report('$or', `The event pattern expands to more than ${MAX_RULE_COMBINATIONS} rule combinations through $or`);
  }
  if (compiler.problems.length > 0) throw new InvalidEventPatternException(compiler.problems);
  const wanted = new Set<string>();
  for (const rule of subRules) {
    for (const path of rule.keys()) {
      const parts = path.split('.');
      parts.forEach((_, index) => wanted.add(parts.slice(0, index + 1).join('.')));
    }
  }
  const rules = subRules.map((rule) => [...rule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { rules, wanted };
}

function parse(pattern: unknown): Record<string, unknown> {
  let parsed = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      // AWS quotes Jackson's parser error here; this quotes V8's.
      throw new InvalidEventPatternException([{ path: '', reason: (error as Error).message }]);
    }
  }
  if (!isRecord(parsed)) throw new InvalidEventPatternException([{ path: '', reason: 'Filter is not an object' }]);
  return parsed;
}

/**
 * Validates an event pattern (an object, or its JSON text as the API takes it) and compiles it. Throws an
 * InvalidEventPatternException listing every problem found.
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  const parsed = parse(pattern);
  const { rules, wanted } = compile(parsed);
  return {
    pattern: parsed,
    combinations: rules.length,
    matches(event: object): boolean {
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        throw new TypeError('An EventBridge event is a JSON object');
      }
      const fields = eventFields(event, wanted);
      return rules.some((rule) => matchesRule(rule, fields, 0, new Map()));
    },
  };
}
