/** `util.math`: rounding, min/max and non-cryptographic random numbers. */
export function createMathUtils(random: () => number = Math.random) {
  return {
    // Java's Math.round rounds halves up, which Math.round also does
    roundNum: (input: number): number => Math.round(input),
    minVal: (input1: number, input2: number): number => Math.min(input1, input2),
    maxVal: (input1: number, input2: number): number => Math.max(input1, input2),
    randomDouble: (): number => random(),
    randomWithinRange: (start: number, end: number): number => {
      const low = Math.ceil(Math.min(start, end));
      const high = Math.floor(Math.max(start, end));
      return low + Math.floor(random() * (high - low + 1));
    },
  };
}
