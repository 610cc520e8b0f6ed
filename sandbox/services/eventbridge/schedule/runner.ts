// Fires scheduled rules and Scheduler schedules: each keeps its next occurrence; `tick(at)` fires every
// occurrence up to `at`, and with timers on a timer ticks at the earliest next occurrence.
import { nextOccurrence, type ScheduleExpression } from './expression';

/** Something that fires on a schedule. */
export interface ScheduledJob {
  /** For logs: `rule default/nightly`, `schedule default/sweep`. */
  readonly name: string;
  readonly expression: ScheduleExpression;
  readonly timeZone?: string;
  /** No occurrence before this instant. */
  readonly startDate?: number;
  /** No occurrence after this instant. */
  readonly endDate?: number;
  /** Called once per occurrence with its scheduled time. */
  fire(scheduledTime: number): void;
}

/** Options of {@link ScheduleRunner}. */
export interface ScheduleRunnerOptions {
  /** Divides rate() periods. */
  readonly timeScale: number;
  /** Run a timer; otherwise only `tick()` fires. */
  readonly timers: boolean;
}

/** Occurrences one tick fires per job at most, so a tick far ahead cannot flood the targets. */
export const MAX_OCCURRENCES_PER_TICK = 100;
/** setTimeout's longest delay. */
const MAX_DELAY_MS = 2 ** 31 - 1;

interface Entry {
  readonly job: ScheduledJob;
  next?: number;
}

export class ScheduleRunner {
  private readonly entries: Entry[] = [];
  private origin = Date.now();
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly options: ScheduleRunnerOptions) {}

  add(job: ScheduledJob): void {
    this.entries.push({ job });
  }

  /** Computes every job's first occurrence after `now` and arms the timer. */
  start(now = Date.now()): void {
    this.origin = now;
    this.running = true;
    for (const entry of this.entries) entry.next = this.after(entry.job, now);
    this.arm();
  }

  /** The next occurrence of each job, for `describe()`. */
  upcoming(): { name: string; next?: number }[] {
    return this.entries.map((entry) => ({ name: entry.job.name, ...(entry.next !== undefined ? { next: entry.next } : {}) }));
  }

  /** Fires every occurrence at or before `at` (up to {@link MAX_OCCURRENCES_PER_TICK} per job); returns how many fired. */
  tick(at = Date.now()): number {
    let fired = 0;
    for (const entry of this.entries) {
      let count = 0;
      while (entry.next !== undefined && entry.next <= at && count < MAX_OCCURRENCES_PER_TICK) {
        const scheduled = entry.next;
        entry.next = this.after(entry.job, scheduled);
        entry.job.fire(scheduled);
        count += 1;
      }
      // A tick far ahead skips what it did not fire rather than firing it on the next tick.
      if (entry.next !== undefined && entry.next <= at) entry.next = this.after(entry.job, at);
      fired += count;
    }
    this.arm();
    return fired;
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private after(job: ScheduledJob, instant: number): number | undefined {
    const from = job.startDate !== undefined ? Math.max(instant, job.startDate - 1) : instant;
    const next = nextOccurrence(job.expression, from, { origin: this.origin, timeScale: this.options.timeScale, ...(job.timeZone ? { timeZone: job.timeZone } : {}) });
    return next === undefined || (job.endDate !== undefined && next > job.endDate) ? undefined : next;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || !this.options.timers) return;
    const nexts = this.entries.map((entry) => entry.next).filter((next): next is number => next !== undefined);
    if (nexts.length === 0) return;
    const delay = Math.min(Math.max(0, Math.min(...nexts) - Date.now()), MAX_DELAY_MS);
    this.timer = setTimeout(() => this.tick(Date.now()), delay);
    this.timer.unref();
  }
}
