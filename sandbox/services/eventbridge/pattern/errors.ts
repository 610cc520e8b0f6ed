/** One thing wrong with an event pattern: where it is (`detail.c-count`, `$or[1]`) and AWS's reason text. */
export interface PatternProblem {
  readonly path: string;
  readonly reason: string;
}

/**
 * EventBridge's `InvalidEventPatternException`. With one problem the message is AWS's first line word for
 * word (`Event pattern is not valid. Reason: Empty arrays are not allowed`); AWS stops at the first problem,
 * this collects them all and joins their reasons with `; `. The Jackson location AWS appends on a second
 * line (`at [Source: ...; line: 1, column: 17]`) is not reproduced: `problems` name the path instead.
 */
export class InvalidEventPatternException extends Error {
  override readonly name = 'InvalidEventPatternException';

  constructor(readonly problems: readonly PatternProblem[]) {
    super(`Event pattern is not valid. Reason: ${problems.map((problem) => problem.reason).join('; ')}`);
  }
}
