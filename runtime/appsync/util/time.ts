import { formatDate, parseDate } from './java-date-format';
import { UTC, resolveZone } from './time-zones';

const ISO8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses an ISO 8601 date or date-time; a timestamp without an offset is read as UTC. */
export function parseISO8601ToEpochMilliSeconds(timestamp: string): number {
  const text = String(timestamp);
  const match = ISO8601.exec(text);
  if (!match) throw new Error(`Text '${text}' could not be parsed as an ISO 8601 timestamp`);
  const zone = match[8] && match[8] !== 'Z' ? resolveZone(match[8]) : UTC;
  const pattern = `yyyy-MM-dd${match[4] ? "'T'HH:mm" : ''}${match[6] ? ':ss' : ''}`;
  const base = text.slice(0, 10 + (match[4] ? 6 : 0) + (match[6] ? 3 : 0));
  const millis = match[7] ? Math.floor(Number(`0.${match[7]}`) * 1000 + 1e-6) : 0;
  return parseDate(base, pattern, zone) + millis;
}

/** `util.time`: timestamps in and out of epoch milliseconds, ISO 8601 and Java date formats. */
export function createTimeUtils(now: () => number = Date.now) {
  return {
    nowISO8601: (): string => new Date(now()).toISOString(),
    nowEpochSeconds: (): number => Math.floor(now() / 1000),
    nowEpochMilliSeconds: (): number => now(),
    nowFormatted: (format: string, timezone?: string): string => formatDate(now(), format, resolveZone(timezone)),
    parseFormattedToEpochMilliSeconds: (timestamp: string, format: string, timezone?: string): number =>
      parseDate(timestamp, format, resolveZone(timezone)),
    parseISO8601ToEpochMilliSeconds,
    epochMilliSecondsToSeconds: (milliseconds: number): number => Math.floor(milliseconds / 1000),
    epochMilliSecondsToISO8601: (milliseconds: number): string => new Date(milliseconds).toISOString(),
    epochMilliSecondsToFormatted: (milliseconds: number, format: string, timezone?: string): string =>
      formatDate(milliseconds, format, resolveZone(timezone)),
  };
}
