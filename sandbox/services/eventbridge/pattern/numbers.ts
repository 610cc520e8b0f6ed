// Numbers as EventBridge's numeric matching documents them: "Numeric matching works with values that are
// JSON numbers. It is limited to values between -5.0e9 and +5.0e9 inclusive, with 15 digits of precision,
// or six digits to the right of the decimal point" (eb-event-patterns-content-based-filtering, "Numeric
// matching"). The representation is event-ruler's ComparableNumber of the same era: the value shifted by
// five billion, scaled by a million and truncated, `(long) (1e6 * (5e9 + f))`. JavaScript numbers are the
// same IEEE doubles as Java's, so the arithmetic below rounds exactly as Ruler's does: 1.0000001 and
// 1.0000002 compare equal, and a value outside the range has no comparable form (an event's is then simply
// not numeric-matchable; a pattern's is an error with Ruler's message).
//
// Ruler has since moved to full float64 ranges (aws/event-ruler#188, 2024); the documented limits are what
// this follows, and they live only here.

const FIVE_BILLION = 5e9;

/** Ruler's message for a pattern number outside the documented range (Java prints 5e9 as `5.0E9`). */
export const OUT_OF_RANGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

/** The comparable form of a number, or undefined when it is outside the documented range. */
export function comparable(value: number): number | undefined {
  if (!Number.isFinite(value) || value < -FIVE_BILLION || value > FIVE_BILLION) return undefined;
  return Math.trunc(1e6 * (FIVE_BILLION + value));
}

/** The comparable form of a pattern number; throws Ruler's message when it is out of range. */
export function patternComparable(value: number): number {
  const result = comparable(value);
  if (result === undefined) throw new RangeError(OUT_OF_RANGE);
  return result;
}

/** The documented range's ends, used for one-sided ranges (`["<", 10]` is `[-5e9, 10)`). */
export const LOWEST = -FIVE_BILLION;
export const HIGHEST = FIVE_BILLION;
