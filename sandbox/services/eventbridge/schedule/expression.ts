// Schedule expressions of EventBridge rules (`rate()`, `cron()`) and EventBridge Scheduler (also `at()`).
import { nextCronTime, parseCron, zonedInstant, type CronFields } from './cron';

/** A parsed schedule expression. */
export type ScheduleExpression =
  | { readonly kind: 'rate'; readonly text: string; readonly periodMs: number }
  | { readonly kind: 'cron'; readonly text: string; readonly fields: CronFields }
  | { readonly kind: 'at'; readonly text: string; readonly wall: { year: number; month: number; day: number; hour: number; minute: number; second: number } };

const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parses a schedule expression; `at()` only when `allowAt` (Scheduler's one-time schedules). Throws an Error
 * whose message says what is wrong. As AWS, `rate(1 minutes)` and `rate(5 minute)` are refused.
 */
export function parseScheduleExpression(text: string, allowAt: boolean): ScheduleExpression {
  const trimmed = text.trim();
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(trimmed);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] as string;
    if (value < 1) throw new Error(`${text}: the rate must be a positive whole number`);
    if ((value === 1) !== !unit.endsWith('s')) throw new Error(`${text}: use the singular unit for 1 and the plural otherwise (rate(1 minute), rate(5 minutes))`);
    return { kind: 'rate', text: trimmed, periodMs: value * (UNIT_MS[unit.replace(/s$/, '')] as number) };
  }
  const cron = /^cron\((.*)\)$/.exec(trimmed);
  if (cron) {
    try {
      return { kind: 'cron', text: trimmed, fields: parseCron(cron[1] as string) };
    } catch (error) {
      throw new Error(`${text}: ${(error as Error).message}`);
    }
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(trimmed);
  if (at && allowAt) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    return { kind: 'at', text: trimmed, wall: { year, month, day, hour, minute, second } };
  }
  throw new Error(`${text} is not a valid schedule expression: use rate(value unit) or cron(fields)${allowAt ? ' or at(yyyy-mm-ddThh:mm:ss)' : ''}`);
}

/**
 * The first time strictly after `after` the expression fires, or undefined when it never will again.
 * `rate()` counts periods from `origin` (when the rule or schedule was created, here: when the sandbox
 * started), with the period divided by `timeScale`; `cron()` and `at()` read the wall clock of `timeZone`.
 */
export function nextOccurrence(expression: ScheduleExpression, after: number, options: { origin: number; timeScale: number; timeZone?: string }): number | undefined {
  const timeZone = options.timeZone ?? 'UTC';
  switch (expression.kind) {
    case 'rate': {
      const period = expression.periodMs / options.timeScale;
      const elapsed = Math.max(0, after - options.origin);
      return options.origin + (Math.floor(elapsed / period) + 1) * period;
    }
    case 'cron':
      return nextCronTime(expression.fields, after, timeZone);
    case 'at': {
      const instant = zonedInstant(expression.wall, timeZone);
      return instant > after ? instant : undefined;
    }
  }
}
