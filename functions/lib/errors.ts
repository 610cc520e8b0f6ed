import { EventValidationError } from '../../events/validate';

/** One broken rule: where in the input, and what it must be. */
export interface Problem {
  readonly field: string;
  readonly rule: string;
}

/**
 * A failure that no retry can fix (bad input, a missing product, an unreadable image). Batch consumers still
 * report the record failed, so it reaches the dead-letter queue after maxReceiveCount and someone looks at it;
 * the logs mark it `permanent: true`.
 */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
}

/** Input that breaks its contract; the message names each field and rule. A permanent failure. */
export class ValidationError extends PermanentError {
  override readonly name = 'ValidationError';
  constructor(
    readonly subject: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${subject} is invalid: ${problems.map((problem) => `${problem.field} ${problem.rule}`).join('; ')}`);
  }
}

/** A failure worth retrying (throttling, a conflict, a dependency that is down): the record is redelivered. */
export class TransientError extends Error {
  override readonly name: string = 'TransientError';
}

/** Whether retrying cannot help: our permanent errors and events that break their contract. */
export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof EventValidationError;
}

/** The error's name and message, for a structured log line. */
export function describeError(error: unknown): { name: string; message: string; permanent: boolean } {
  if (error instanceof Error) return { name: error.name, message: error.message, permanent: isPermanent(error) };
  return { name: 'NonError', message: String(error), permanent: false };
}
