// Where captured email goes: memory (for tests and the CLI) and, one `.json` and one `.eml` per email, the
// `outbox/` folder of the service's data directory.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMime } from './mime';
import type { EmailDraft } from './requests';

/** One email the sandbox captured instead of sending. */
export interface CapturedEmail extends EmailDraft {
  /** The id SES answered with. */
  readonly messageId: string;
  /** ISO time of the send. */
  readonly sentAt: string;
  /** The files it was written to. */
  readonly files: { readonly json: string; readonly eml: string };
}

/** The `ses.outbox` capability: what was sent since the sandbox started. */
export interface SesOutbox {
  /** Every captured email, oldest first. */
  list(): readonly CapturedEmail[];
  /** The first email (already captured or still to come) that satisfies `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (email: CapturedEmail) => boolean, timeoutMs?: number): Promise<CapturedEmail>;
  /** Forgets the captured emails (the files stay). */
  clear(): void;
}

/** An SES-shaped message id: `0100` + time + a UUID + `-000000`. */
export function sesMessageId(now: number): string {
  return `0100${now.toString(16).padStart(12, '0')}-${randomUUID()}-000000`;
}

/** Keeps captured emails in memory and writes each to the outbox folder. */
export class Outbox implements SesOutbox {
  private readonly emails: CapturedEmail[] = [];
  private readonly events = new EventEmitter();

  constructor(
    /** The `outbox/` folder. */
    readonly dir: string,
    private readonly clock: () => number = Date.now,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Gives the draft an id, writes it and keeps it. */
  capture(draft: EmailDraft): CapturedEmail {
    const now = this.clock();
    const messageId = sesMessageId(now);
    const sentAt = new Date(now).toISOString();
    const base = join(this.dir, `${sentAt.replace(/[:.]/g, '-')}-${messageId}`);
    const email: CapturedEmail = { ...draft, messageId, sentAt, files: { json: `${base}.json`, eml: `${base}.eml` } };
    const eml =
      draft.raw ??
      formatMime({
        messageId,
        date: new Date(now),
        from: draft.from,
        to: draft.to,
        cc: draft.cc,
        replyTo: draft.replyTo,
        subject: draft.subject,
        ...(draft.text !== undefined ? { text: draft.text } : {}),
        ...(draft.html !== undefined ? { html: draft.html } : {}),
        ...(draft.headers ? { headers: draft.headers } : {}),
      });
    writeFileSync(email.files.json, `${JSON.stringify(email, null, 2)}\n`);
    writeFileSync(email.files.eml, eml);
    this.emails.push(email);
    this.events.emit('email', email);
    return email;
  }

  list(): readonly CapturedEmail[] {
    return [...this.emails];
  }

  clear(): void {
    this.emails.length = 0;
  }

  waitFor(predicate: (email: CapturedEmail) => boolean, timeoutMs = 5000): Promise<CapturedEmail> {
    const found = this.emails.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (email: CapturedEmail) => {
        if (!predicate(email)) return;
        clearTimeout(timer);
        this.events.off('email', listener);
        resolve(email);
      };
      const timer = setTimeout(() => {
        this.events.off('email', listener);
        const seen = this.emails.map((email) => `"${email.subject}" to ${email.to.join(', ')}`);
        reject(new Error(`No matching email within ${timeoutMs} ms; captured ${this.emails.length}${seen.length > 0 ? `: ${seen.join('; ')}` : ''}`));
      }, timeoutMs);
      this.events.on('email', listener);
    });
  }
}
