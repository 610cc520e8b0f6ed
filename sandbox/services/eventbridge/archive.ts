// Archives: the events of a bus that match an archive's pattern, kept (one JSON line each, under the
// service's data folder) for their retention period so a replay can re-send them.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BusEvent } from './put-events';
import type { ArchiveDefinition } from './topology';

/** One archived event and when EventBridge received it (ms since the epoch). */
export interface ArchivedEvent {
  readonly event: BusEvent;
  readonly receivedAt: number;
}

/** The events of one archive. */
export class ArchiveStore {
  private events: ArchivedEvent[] = [];
  private readonly file?: string;

  constructor(
    readonly definition: ArchiveDefinition,
    /** Folder for the archive's file; in memory only when absent. */
    dir?: string,
  ) {
    if (dir) {
      mkdirSync(dir, { recursive: true });
      this.file = join(dir, `${definition.name}.jsonl`);
      if (existsSync(this.file)) {
        this.events = readFileSync(this.file, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line) as ArchivedEvent);
        this.expire(Date.now());
      }
    }
  }

  /** Archives the event if it matches the archive's pattern (no pattern: every event). */
  offer(event: BusEvent, receivedAt: number): boolean {
    if (this.definition.pattern && !this.definition.pattern.matches(event)) return false;
    const archived = { event, receivedAt };
    this.events.push(archived);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(archived)}\n`);
    return true;
  }

  /** Events received in [from, to), oldest first. */
  between(from: number, to: number): ArchivedEvent[] {
    this.expire(Date.now());
    return this.events.filter((archived) => archived.receivedAt >= from && archived.receivedAt < to);
  }

  get count(): number {
    return this.events.length;
  }

  get sizeBytes(): number {
    return this.events.reduce((total, archived) => total + Buffer.byteLength(JSON.stringify(archived.event)), 0);
  }

  /** Drops events past the retention period (0 days keeps them for ever). */
  private expire(now: number): void {
    const days = this.definition.retentionDays;
    if (!days) return;
    const kept = this.events.filter((archived) => archived.receivedAt >= now - days * 86_400_000);
    if (kept.length === this.events.length) return;
    this.events = kept;
    if (this.file) writeFileSync(this.file, kept.map((archived) => `${JSON.stringify(archived)}\n`).join(''));
  }
}
