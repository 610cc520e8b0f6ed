// AppSync's scalars (https://docs.aws.amazon.com/appsync/latest/devguide/scalars.html) with the
// validation AppSync applies to arguments and results. AppSync's GraphQL engine is graphql-java, so the
// error texts follow it: "Unable to parse `x` as a valid DateTime Object." for input and "Unable to
// serialize `x` as ..." for output. Only the DateTime and phone texts are confirmed from AppSync
// responses; the others follow the same pattern.
import { isIP } from 'node:net';
import { GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';

/** A value an AppSync scalar refuses; `message` is AppSync's text. */
export class ScalarCoercionError extends Error {
  override name = 'ScalarCoercionError';
}

interface ScalarRules {
  /** The noun of AppSync's message: "a valid DateTime Object", "valid JSON"... */
  readonly noun: string;
  /** Input value (from a variable, or a literal's value) to the value resolvers see. */
  parse(value: unknown): unknown;
  /** Resolver value to the value in the response. */
  serialize(value: unknown): unknown;
  /** Literal kinds the scalar reads (a string scalar takes only string literals). */
  readonly literalKinds: readonly Kind[];
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'null';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function refuse(verb: 'parse' | 'serialize', value: unknown, noun: string): never {
  throw new ScalarCoercionError(`Unable to ${verb} \`${render(value)}\` as ${noun}.`);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) return isLeap(year);
  return day <= (DAYS_IN_MONTH[month - 1] as number);
}

function validTime(hour: number, minute: number, second: number): boolean {
  return hour <= 23 && minute <= 59 && second <= 59;
}

function validOffset(offset: string | undefined): boolean {
  if (offset === undefined || offset === 'Z') return true;
  const [hours, minutes, seconds] = offset.slice(1).split(':').map(Number);
  return (hours as number) <= 18 && (minutes as number) <= 59 && (seconds ?? 0) <= 59;
}

const OFFSET = '(Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
const DATE = '(-?\\d{4})-(\\d{2})-(\\d{2})';
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?';
const DATE_PATTERN = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_PATTERN = new RegExp(`^${TIME}${OFFSET}?$`);
// The offset is compulsory for AWSDateTime, optional for AWSDate and AWSTime.
const DATE_TIME_PATTERN = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);

/** `YYYY-MM-DD`, optionally with a zone offset (`Z`, `±hh:mm`, `±hh:mm:ss`); negative years allowed. */
export function isAwsDate(value: unknown): boolean {
  const match = typeof value === 'string' ? DATE_PATTERN.exec(value) : null;
  return match !== null && validDate(Number(match[1]), Number(match[2]), Number(match[3])) && validOffset(match[4]);
}

/** `hh:mm[:ss[.fffffffff]]`, optionally with a zone offset. */
export function isAwsTime(value: unknown): boolean {
  const match = typeof value === 'string' ? TIME_PATTERN.exec(value) : null;
  return match !== null && validTime(Number(match[1]), Number(match[2]), Number(match[3] ?? 0)) && validOffset(match[4]);
}

/** `YYYY-MM-DDThh:mm[:ss[.fffffffff]]` with a compulsory zone offset. */
export function isAwsDateTime(value: unknown): boolean {
  const match = typeof value === 'string' ? DATE_TIME_PATTERN.exec(value) : null;
  return (
    match !== null &&
    validDate(Number(match[1]), Number(match[2]), Number(match[3])) &&
    validTime(Number(match[4]), Number(match[5]), Number(match[6] ?? 0)) &&
    validOffset(match[7])
  );
}

const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** `local-part@domain-part` (RFC 822 addr-spec without quoting or comments). */
export function isAwsEmail(value: unknown): boolean {
  return typeof value === 'string' && EMAIL_PATTERN.test(value);
}

/** A URL with a scheme (`https:`, `mailto:`...) and no `//` in its path. */
export function isAwsUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value)) return false;
  try {
    return !new URL(value).pathname.includes('//');
  } catch {
    return false;
  }
}

/**
 * A phone number; digit groups may be separated by spaces or hyphens. With a `+` it is an international
 * number (country code and subscriber number, 8 to 15 digits as in E.164); without one it is read as a
 * North American Numbering Plan number, as AppSync does: an optional trunk prefix 1, then 10 digits
 * whose area code does not start with 0 or 1 (so AppSync refuses `1110004444`).
 */
export function isAwsPhone(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\+?\d[\d -]*\d$/.test(value) || /[ -]{2}/.test(value)) return false;
  const digits = value.replace(/[^\d]/g, '');
  if (value.startsWith('+')) return /^[1-9]\d{7,14}$/.test(digits);
  const national = digits.startsWith('1') ? digits.slice(1) : digits;
  return /^[2-9]\d{9}$/.test(national);
}

/** An IPv4 (dotted quad) or IPv6 (unbracketed) address with an optional CIDR suffix. */
export function isAwsIpAddress(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [address, prefix, extra] = value.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function stringScalar(noun: string, valid: (value: unknown) => boolean): ScalarRules {
  return {
    noun,
    literalKinds: [Kind.STRING],
    parse: (value) => (valid(value) ? value : refuse('parse', value, noun)),
    serialize: (value) => (valid(value) ? value : refuse('serialize', value, noun)),
  };
}

const RULES: Record<string, ScalarRules> = {
  AWSDate: stringScalar('a valid Date Object', isAwsDate),
  AWSTime: stringScalar('a valid Time Object', isAwsTime),
  AWSDateTime: stringScalar('a valid DateTime Object', isAwsDateTime),
  AWSEmail: stringScalar('a valid email address', isAwsEmail),
  AWSURL: stringScalar('a valid URL', isAwsUrl),
  AWSPhone: stringScalar('a valid phone number', isAwsPhone),
  AWSIPAddress: stringScalar('a valid IP address', isAwsIpAddress),
  AWSTimestamp: {
    noun: 'a valid timestamp',
    literalKinds: [Kind.INT],
    parse: (value) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : refuse('parse', value, 'a valid timestamp')),
    serialize: (value) => {
      const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      return typeof number === 'number' && Number.isSafeInteger(number) ? number : refuse('serialize', value, 'a valid timestamp');
    },
  },
  // Resolvers see AWSJSON arguments parsed (maps, lists, scalars), never as the JSON string.
  AWSJSON: {
    noun: 'valid JSON',
    literalKinds: [Kind.STRING],
    parse: (value) => {
      if (typeof value !== 'string') refuse('parse', value, 'valid JSON');
      try {
        return JSON.parse(value);
      } catch {
        return refuse('parse', value, 'valid JSON');
      }
    },
    serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value ?? null)),
  },
};

/** Names of AppSync's scalars. */
export const APPSYNC_SCALARS: readonly string[] = Object.keys(RULES);

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
      return node.value;
    case Kind.INT:
      return Number(node.value);
    default:
      return undefined;
  }
}

/** Gives the schema's AppSync scalars (declared by the prelude with no behaviour) AppSync's rules. */
export function installAppSyncScalars(schema: GraphQLSchema): void {
  for (const [name, rules] of Object.entries(RULES)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    type.parseValue = rules.parse;
    type.serialize = rules.serialize;
    type.parseLiteral = (node) => {
      if (!rules.literalKinds.includes(node.kind)) refuse('parse', node.kind, rules.noun);
      return rules.parse(literalValue(node));
    };
  }
}
