// A subset of java.time.format.DateTimeFormatter patterns, which util.time formats are written in.
// Supported letters: G y u Y M L d D E e a h H k K m s S n Z X x z V O, quoted 'text' and ''.
// Anything else fails with the letter named rather than producing a wrong date.
import { Zone, instantFromWallClock, offsetAt, parseOffset, shortZoneName, zoneFromText } from './time-zones';

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; width: number };

const SUPPORTED = new Set('GyuYMLdDEeahHkKmsSnZXxzVO'.split(''));
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Splits a pattern into literal text and runs of one pattern letter. */
export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i += 1;
      while (i < pattern.length) {
        if (pattern[i] === "'" && pattern[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (pattern[i] === "'") {
          i += 1;
          break;
        } else {
          text += pattern[i];
          i += 1;
        }
      }
      tokens.push({ kind: 'literal', text });
    } else if (/[A-Za-z]/.test(char)) {
      if (!SUPPORTED.has(char)) throw new Error(`Unsupported pattern letter '${char}' in date format '${pattern}'`);
      let width = 1;
      while (pattern[i + width] === char) width += 1;
      tokens.push({ kind: 'field', letter: char, width });
      i += width;
    } else {
      tokens.push({ kind: 'literal', text: char });
      i += 1;
    }
  }
  return tokens;
}

function pad(value: number, width: number): string {
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.abs(value)).padStart(width, '0');
}

function formatOffset(minutes: number, style: 'basic' | 'extended' | 'hours', zeroAsZ: boolean): string {
  if (minutes === 0 && zeroAsZ) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const hours = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const mins = pad(Math.abs(minutes) % 60, 2);
  if (style === 'hours' && mins === '00') return `${sign}${hours}`;
  return style === 'extended' ? `${sign}${hours}:${mins}` : `${sign}${hours}${mins}`;
}

function text(names: string[], index: number, width: number): string {
  const name = names[index];
  return width >= 4 ? name : name.slice(0, 3);
}

/** Formats the instant `epochMs` in `zone` with a Java DateTimeFormatter pattern. */
export function formatDate(epochMs: number, pattern: string, zone: Zone): string {
  const offset = offsetAt(zone, epochMs);
  const wall = new Date(epochMs + offset * 60000);
  const year = wall.getUTCFullYear();
  const hour = wall.getUTCHours();
  let out = '';
  for (const token of tokenize(pattern)) {
    if (token.kind === 'literal') {
      out += token.text;
      continue;
    }
    const { letter, width } = token;
    switch (letter) {
      case 'G':
        out += year > 0 ? 'AD' : 'BC';
        break;
      case 'y':
      case 'u':
      case 'Y':
        out += width === 2 ? pad(((year % 100) + 100) % 100, 2) : pad(letter === 'y' && year <= 0 ? 1 - year : year, width);
        break;
      case 'M':
      case 'L':
        out += width >= 3 ? text(MONTHS, wall.getUTCMonth(), width) : pad(wall.getUTCMonth() + 1, width);
        break;
      case 'd':
        out += pad(wall.getUTCDate(), width);
        break;
      case 'D': {
        const startOfYear = Date.UTC(year, 0, 1);
        out += pad(Math.floor((wall.getTime() - startOfYear) / 86400000) + 1, width);
        break;
      }
      case 'E':
      case 'e':
        out += letter === 'e' && width <= 2 ? pad(((wall.getUTCDay() + 6) % 7) + 1, width) : text(DAYS, wall.getUTCDay(), width);
        break;
      case 'a':
        out += hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(hour, width);
        break;
      case 'k':
        out += pad(hour === 0 ? 24 : hour, width);
        break;
      case 'K':
        out += pad(hour % 12, width);
        break;
      case 'h':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, width);
        break;
      case 'm':
        out += pad(wall.getUTCMinutes(), width);
        break;
      case 's':
        out += pad(wall.getUTCSeconds(), width);
        break;
      case 'S':
        out += pad(wall.getUTCMilliseconds(), 3).padEnd(width, '0').slice(0, width);
        break;
      case 'n':
        out += String(wall.getUTCMilliseconds() * 1_000_000);
        break;
      case 'Z':
        out += width <= 3 ? formatOffset(offset, 'basic', false) : width === 4 ? `GMT${formatOffset(offset, 'extended', false)}` : formatOffset(offset, 'extended', true);
        break;
      case 'X':
      case 'x':
        out += formatOffset(offset, width === 1 ? 'hours' : width % 2 === 0 ? 'basic' : 'extended', letter === 'X');
        break;
      case 'O':
        out += offset === 0 ? 'GMT' : `GMT${formatOffset(offset, width === 4 ? 'extended' : 'hours', false)}`;
        break;
      case 'z':
        out += shortZoneName(zone, epochMs, width >= 4);
        break;
      case 'V':
        out += zone.id;
        break;
    }
  }
  return out;
}

interface ParsedFields {
  year: number;
  month: number;
  day: number;
  dayOfYear?: number;
  hour: number;
  pm?: boolean;
  minute: number;
  second: number;
  millis: number;
  zone?: Zone;
}

function fieldRegex(letter: string, width: number): string {
  switch (letter) {
    case 'M':
    case 'L':
      if (width === 3) return '([A-Za-z]{3})';
      if (width >= 4) return '([A-Za-z]+)';
      return width === 1 ? '(\\d{1,2})' : `(\\d{${width}})`;
    case 'E':
      return '([A-Za-z]+)';
    case 'e':
      return width <= 2 ? '(\\d{1,2})' : '([A-Za-z]+)';
    case 'a':
      return '([AaPp][Mm])';
    case 'G':
      return '(AD|BC)';
    case 'y':
    case 'u':
    case 'Y':
      if (width === 2) return '(\\d{2})';
      return width === 1 ? '([+-]?\\d+)' : `([+-]?\\d{${width},})`;
    case 'S':
      return `(\\d{${width}})`;
    case 'n':
      return '(\\d+)';
    case 'Z':
    case 'X':
    case 'x':
      return '(Z|[+-]\\d{2}(?::?\\d{2})?|GMT[+-]\\d{2}:\\d{2})';
    case 'O':
      return '(GMT(?:[+-]\\d{1,2}(?::\\d{2})?)?)';
    case 'z':
    case 'V':
      return '([A-Za-z_/+\\-0-9]+)';
    default:
      return width === 1 ? '(\\d{1,3})' : `(\\d{${width}})`;
  }
}

function nameIndex(names: string[], value: string, what: string): number {
  const index = names.findIndex((name) => name.toLowerCase() === value.toLowerCase() || name.slice(0, 3).toLowerCase() === value.toLowerCase());
  if (index < 0) throw new Error(`Unknown ${what} '${value}'`);
  return index;
}

/**
 * Parses `timestamp` with a Java DateTimeFormatter pattern. A zone or offset inside the timestamp
 * wins; otherwise the wall-clock fields are read in `zone`.
 */
export function parseDate(timestamp: string, pattern: string, zone: Zone): number {
  const tokens = tokenize(pattern);
  const fields = tokens.filter((token): token is Extract<Token, { kind: 'field' }> => token.kind === 'field');
  const source = tokens
    .map((token) => (token.kind === 'literal' ? token.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : fieldRegex(token.letter, token.width)))
    .join('');
  const match = new RegExp(`^${source}$`).exec(String(timestamp));
  if (!match) throw new Error(`Text '${timestamp}' could not be parsed with format '${pattern}'`);
  const parsed: ParsedFields = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0 };
  fields.forEach(({ letter, width }, index) => {
    const value = match[index + 1];
    switch (letter) {
      case 'y':
      case 'u':
      case 'Y':
        parsed.year = width === 2 ? 2000 + Number(value) : Number(value);
        break;
      case 'M':
      case 'L':
        parsed.month = width >= 3 ? nameIndex(MONTHS, value, 'month') + 1 : Number(value);
        break;
      case 'd':
        parsed.day = Number(value);
        break;
      case 'D':
        parsed.dayOfYear = Number(value);
        break;
      case 'H':
      case 'k':
        parsed.hour = Number(value) % 24;
        break;
      case 'h':
      case 'K':
        parsed.hour = Number(value) % 12;
        break;
      case 'a':
        parsed.pm = value.toUpperCase() === 'PM';
        break;
      case 'm':
        parsed.minute = Number(value);
        break;
      case 's':
        parsed.second = Number(value);
        break;
      case 'S':
        parsed.millis = Math.floor(Number(`0.${value}`) * 1000 + 1e-6);
        break;
      case 'n':
        parsed.millis = Math.floor(Number(value) / 1_000_000);
        break;
      case 'Z':
      case 'X':
      case 'x':
      case 'O': {
        const offset = value === 'Z' || value === 'GMT' ? 0 : parseOffset(value.replace(/^GMT/, ''));
        parsed.zone = { kind: 'fixed', id: value, offsetMinutes: offset ?? 0 };
        break;
      }
      case 'z':
      case 'V':
        parsed.zone = zoneFromText(value);
        break;
    }
  });
  if (parsed.pm !== undefined && parsed.pm && parsed.hour < 12) parsed.hour += 12;
  const wall =
    parsed.dayOfYear !== undefined
      ? Date.UTC(parsed.year, 0, parsed.dayOfYear, parsed.hour, parsed.minute, parsed.second, parsed.millis)
      : Date.UTC(parsed.year, parsed.month - 1, parsed.day, parsed.hour, parsed.minute, parsed.second, parsed.millis);
  return instantFromWallClock(parsed.zone ?? zone, wall);
}
