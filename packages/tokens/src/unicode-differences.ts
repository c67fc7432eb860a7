// Code points Node's newer Unicode tables assign but tiktoken's Rust regex tables do not.

const ranges: readonly (readonly [number, number])[] = [];

/** True when tiktoken's regex sees this code point as unassigned although ICU gives it a category. */
export function unassignedInTiktoken(codePoint: number): boolean {
  for (const [first, last] of ranges) {
    if (codePoint >= first && codePoint <= last) return true;
  }
  return false;
}
