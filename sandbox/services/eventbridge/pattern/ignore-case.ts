// equals-ignore-case as event-ruler does it: the pattern is folded one character at a time into "its lower
// case or its upper case", and the event's string must spell one of those at each step; the event itself is
// not folded. So the pattern "ß" accepts "ß" and "SS" (its upper case) but not "ss". Ruler walks UTF-16 code
// units, which splits astral characters; this walks code points, which only differs for those.

/** A pattern folded into per-character alternatives. */
export type Folded = readonly (readonly string[])[];

/** Folds a pattern value into its per-character alternatives. */
export function fold(value: string): Folded {
  return Array.from(value, (char) => [...new Set([char.toLowerCase(), char.toUpperCase()])]);
}

function reversed(text: string): string {
  return Array.from(text).reverse().join('');
}

function reachable(folded: Folded, value: string): Set<number> {
  let positions = new Set([0]);
  for (const alternatives of folded) {
    const next = new Set<number>();
    for (const position of positions) {
      for (const alternative of alternatives) {
        if (value.startsWith(alternative, position)) next.add(position + alternative.length);
      }
    }
    if (next.size === 0) return next;
    positions = next;
  }
  return positions;
}

/** The folded form of a suffix, for matching the reversed event string from its start. */
export function foldSuffix(value: string): Folded {
  return fold(value)
    .map((alternatives) => alternatives.map(reversed))
    .reverse();
}

/** Whether the string equals the folded pattern. */
export function equalsFolded(folded: Folded, value: string): boolean {
  return reachable(folded, value).has(value.length);
}

/** Whether the string starts with the folded pattern. */
export function startsWithFolded(folded: Folded, value: string): boolean {
  return reachable(folded, value).size > 0;
}

/** Whether the string ends with a suffix folded by `foldSuffix`. */
export function endsWithFolded(foldedSuffix: Folded, value: string): boolean {
  return reachable(foldedSuffix, reversed(value)).size > 0;
}
