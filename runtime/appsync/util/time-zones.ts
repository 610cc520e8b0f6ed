// Time-zone resolution for util.time. AppSync accepts Java zone ids: IANA names, fixed offsets and
// the three-letter ids of java.time.ZoneId.SHORT_IDS, which are mapped here the way Java maps them.

const JAVA_SHORT_IDS: Record<string, string> = {
  ACT: 'Australia/Darwin',
  AET: 'Australia/Sydney',
  AGT: 'America/Argentina/Buenos_Aires',
  ART: 'Africa/Cairo',
  AST: 'America/Anchorage',
  BET: 'America/Sao_Paulo',
  BST: 'Asia/Dhaka',
  CAT: 'Africa/Harare',
  CNT: 'America/St_Johns',
  CST: 'America/Chicago',
  CTT: 'Asia/Shanghai',
  EAT: 'Africa/Addis_Ababa',
  ECT: 'Europe/Paris',
  IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  MIT: 'Pacific/Apia',
  NET: 'Asia/Yerevan',
  NST: 'Pacific/Auckland',
  PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix',
  PRT: 'America/Puerto_Rico',
  PST: 'America/Los_Angeles',
  SST: 'Pacific/Guadalcanal',
  VST: 'Asia/Ho_Chi_Minh',
  EST: '-05:00',
  MST: '-07:00',
  HST: '-10:00',
};

/** A resolved zone: a fixed offset or an IANA zone looked up through Intl. */
export type Zone = { kind: 'fixed'; id: string; offsetMinutes: number } | { kind: 'iana'; id: string };

export const UTC: Zone = { kind: 'fixed', id: 'UTC', offsetMinutes: 0 };

/** Parses `+08`, `+0800`, `+08:00` (optionally after UTC/GMT) into minutes, or undefined. */
export function parseOffset(text: string): number | undefined {
  const match = /^(?:UTC|GMT|UT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** Resolves a Java zone id, throwing a clear error for an unknown one. */
export function resolveZone(id: string | undefined | null): Zone {
  if (id === undefined || id === null) return UTC;
  const name = JAVA_SHORT_IDS[id] ?? id;
  if (name === 'Z' || name === 'UTC' || name === 'GMT' || name === 'UT') return { kind: 'fixed', id, offsetMinutes: 0 };
  const offset = parseOffset(name);
  if (offset !== undefined) return { kind: 'fixed', id, offsetMinutes: offset };
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw new Error(`Unknown time zone '${id}'`);
  }
  return { kind: 'iana', id: name };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC, in minutes, at the instant `epochMs`. */
export function offsetAt(zone: Zone, epochMs: number): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  const parts: Record<string, string> = {};
  for (const part of wallClockFormatter(zone.id).formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const truncated = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return Math.round((wall - truncated) / 60000);
}

/** The instant at which the zone's wall clock shows `wallMs` (a UTC-based reading of local fields). */
export function instantFromWallClock(zone: Zone, wallMs: number): number {
  const first = wallMs - offsetAt(zone, wallMs) * 60000;
  return wallMs - offsetAt(zone, first) * 60000;
}

/** A short display name of the zone at an instant (`PST`, `GMT+8`), as Intl names it. */
export function shortZoneName(zone: Zone, epochMs: number, long = false): string {
  if (zone.kind === 'fixed') return zone.offsetMinutes === 0 ? 'Z' : zone.id;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' }).formatToParts(
    new Date(epochMs),
  );
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? zone.id;
}

// Abbreviations as they appear inside timestamps name a fixed offset: `EDT` is -04:00 whatever the date.
const ABBREVIATIONS: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  BST: 60,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  IST: 330,
  JST: 540,
  AEST: 600,
  AEDT: 660,
  AWST: 480,
};

/** Resolves a zone abbreviation or id found inside a parsed timestamp. */
export function zoneFromText(text: string): Zone {
  if (Object.hasOwn(ABBREVIATIONS, text)) return { kind: 'fixed', id: text, offsetMinutes: ABBREVIATIONS[text] };
  return resolveZone(text);
}
