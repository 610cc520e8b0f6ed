// EventBridge's six-field cron (`cron(Minutes Hours Day-of-month Month Day-of-week Year)`, "Cron expressions
// reference" in the EventBridge and Scheduler guides): `, - * ? /` everywhere they make sense, `L` and `W` in
// day-of-month, `L` and `#` in day-of-week, month and weekday names, weekdays numbered 1 (SUN) to 7 (SAT),
// and exactly one of day-of-month and day-of-week given as `?`.

/** A parsed cron expression's fields. */
export interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number> | 'any';
  readonly day: DayRule;
}

type DayRule =
  | { readonly field: 'month'; readonly days: ReadonlySet<number>; readonly last: boolean; readonly lastWeekday: boolean; readonly nearestWeekday?: number }
  | { readonly field: 'week'; readonly weekdays: ReadonlySet<number>; readonly lastOf?: number; readonly nth?: { readonly weekday: number; readonly n: number } };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A field's bounds and its names (index + first value). */
interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const SPECS = {
  minutes: { name: 'Minutes', min: 0, max: 59 },
  hours: { name: 'Hours', min: 0, max: 23 },
  dayOfMonth: { name: 'Day-of-month', min: 1, max: 31 },
  month: { name: 'Month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'Day-of-week', min: 1, max: 7, names: WEEKDAYS },
  year: { name: 'Year', min: 1970, max: 2199 },
} satisfies Record<string, FieldSpec>;

function value(text: string, spec: FieldSpec, problems: string[]): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(number) || number < spec.min || number > spec.max) {
    problems.push(`${spec.name} value ${text} is outside ${spec.min}-${spec.max}${spec.names ? ` (or ${spec.names[0]}-${spec.names.at(-1)})` : ''}`);
    return spec.min;
  }
  return number;
}

/** Expands `*`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n` and comma lists into the set of values. */
function expand(text: string, spec: FieldSpec, problems: string[]): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      problems.push(`${spec.name} step ${stepText} is not a positive integer`);
      continue;
    }
    let from = spec.min;
    let to = spec.max;
    if (range !== '*') {
      const [start, end] = range.split('-') as [string, string | undefined];
      from = value(start, spec, problems);
      to = end === undefined ? (stepText === undefined ? from : spec.max) : value(end, spec, problems);
    }
    if (from > to) {
      problems.push(`${spec.name} range ${range} runs backwards`);
      continue;
    }
    for (let current = from; current <= to; current += step) values.add(current);
  }
  return values;
}

function dayOfMonth(text: string, problems: string[]): DayRule {
  const upper = text.toUpperCase();
  if (upper === 'L') return { field: 'month', days: new Set(), last: true, lastWeekday: false };
  if (upper === 'LW') return { field: 'month', days: new Set(), last: false, lastWeekday: true };
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday) return { field: 'month', days: new Set(), last: false, lastWeekday: false, nearestWeekday: value(weekday[1] as string, SPECS.dayOfMonth, problems) };
  return { field: 'month', days: expand(text, SPECS.dayOfMonth, problems), last: false, lastWeekday: false };
}

function dayOfWeek(text: string, problems: string[]): DayRule {
  const upper = text.toUpperCase();
  const last = /^([A-Z0-9]+)L$/.exec(upper);
  if (last) return { field: 'week', weekdays: new Set(), lastOf: value(last[1] as string, SPECS.dayOfWeek, problems) };
  if (upper === 'L') return { field: 'week', weekdays: new Set([7]) };
  const nth = /^([A-Z0-9]+)#(\d)$/.exec(upper);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) problems.push(`Day-of-week ${text}: the occurrence after # must be 1-5`);
    return { field: 'week', weekdays: new Set(), nth: { weekday: value(nth[1] as string, SPECS.dayOfWeek, problems), n } };
  }
  return { field: 'week', weekdays: expand(text, SPECS.dayOfWeek, problems) };
}

/** Parses the six fields inside `cron(...)`; throws with every problem found. */
export function parseCron(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`cron() takes 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  const [minutes, hours, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  const problems: string[] = [];
  if ((dom === '?') === (dow === '?')) problems.push('Exactly one of day-of-month and day-of-week must be ?');
  const fields: CronFields = {
    minutes: expand(minutes, SPECS.minutes, problems),
    hours: expand(hours, SPECS.hours, problems),
    months: expand(month, SPECS.month, problems),
    years: year === '*' ? 'any' : expand(year, SPECS.year, problems),
    day: dom !== '?' ? dayOfMonth(dom, problems) : dayOfWeek(dow, problems),
  };
  if (problems.length > 0) throw new Error(problems.join('; '));
  return fields;
}

/** A calendar date (month 1-12). */
interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 (SUN) to 7 (SAT), as cron numbers weekdays. */
function weekdayOf(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 1;
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = daysInMonth(year, month);
  const day = Math.min(target, last);
  const weekday = weekdayOf({ year, month, day });
  // Saturday moves to Friday unless that leaves the month; Sunday to Monday likewise.
  if (weekday === 7) return day === 1 ? 3 : day - 1;
  if (weekday === 1) return day === last ? day - 2 : day + 1;
  return day;
}

function dayMatches(rule: DayRule, date: CalendarDate): boolean {
  const last = daysInMonth(date.year, date.month);
  if (rule.field === 'month') {
    if (rule.last) return date.day === last;
    if (rule.lastWeekday) return date.day === nearestWeekday(date.year, date.month, last);
    if (rule.nearestWeekday !== undefined) return date.day === nearestWeekday(date.year, date.month, rule.nearestWeekday);
    return rule.days.has(date.day);
  }
  const weekday = weekdayOf(date);
  if (rule.lastOf !== undefined) return weekday === rule.lastOf && date.day + 7 > last;
  if (rule.nth) return weekday === rule.nth.weekday && Math.ceil(date.day / 7) === rule.nth.n;
  return rule.weekdays.has(weekday);
}

/** Wall-clock fields of an instant in a time zone. */
function wallClock(instant: number, timeZone: string): CalendarDate & { hour: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return { year: parts.year as number, month: parts.month as number, day: parts.day as number, hour: parts.hour as number, minute: parts.minute as number };
}

/** The instant a wall-clock time names in a time zone (the later offset wins in a DST overlap). */
export function zonedInstant(wall: CalendarDate & { hour: number; minute: number; second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  if (timeZone === 'UTC') return asUtc;
  const offsetAt = (instant: number) => {
    const seen = wallClock(instant, timeZone);
    return Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - Math.floor(instant / 60_000) * 60_000;
  };
  const guess = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(guess);
}

/** The first instant strictly after `after` that the cron fields name in `timeZone`, or undefined within its years. */
export function nextCronTime(fields: CronFields, after: number, timeZone = 'UTC'): number | undefined {
  const hours = [...fields.hours].sort((a, b) => a - b);
  const minutes = [...fields.minutes].sort((a, b) => a - b);
  const start = wallClock(after, timeZone);
  let cursor = Date.UTC(start.year, start.month - 1, start.day);
  // Whole years and months that cannot match are skipped, so this visits at most a few years of days.
  for (let visited = 0; visited < 2000; visited += 1) {
    const day = new Date(cursor);
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    if (date.year > SPECS.year.max) return undefined;
    if (fields.years !== 'any' && !fields.years.has(date.year)) {
      const next = [...fields.years].filter((year) => year > date.year).sort((a, b) => a - b)[0];
      if (next === undefined) return undefined;
      cursor = Date.UTC(next, 0, 1);
      continue;
    }
    if (!fields.months.has(date.month)) {
      cursor = Date.UTC(date.year, date.month, 1);
      continue;
    }
    if (dayMatches(fields.day, date)) {
      for (const hour of hours) {
        for (const minute of minutes) {
          const instant = zonedInstant({ ...date, hour, minute }, timeZone);
          if (instant > after) return instant;
        }
      }
    }
    cursor += 86_400_000;
  }
  return undefined;
}
