import { describe, expect, it } from 'vitest';
import { loadEncoding } from '../src/encoding-registry.ts';
import { countTokens } from '../src/index.ts';

/** Rank lookups made by byte-pair merging while counting `text` (a deterministic measure of work). */
function mergeWork(text: string, encoding: 'cl100k_base' | 'o200k_base'): number {
  const tokenizer = loadEncoding(encoding);
  const before = tokenizer.mergeLookups;
  tokenizer.count(text);
  return tokenizer.mergeLookups - before;
}

describe('long runs of one character', () => {
  it.each(['a', ' ', '\n', '!', '\u00e9', '\u4e00'])(
    'merge work for %j grows linearly with length',
    (unit) => {
      for (const encoding of ['cl100k_base', 'o200k_base'] as const) {
        const small = mergeWork(unit.repeat(16_000), encoding);
        const large = mergeWork(unit.repeat(64_000), encoding);
        // Quadratic merging would do 16x the work for 4x the input; linear does about 4x.
        expect(large / Math.max(small, 1)).toBeLessThan(4.5);
      }
    },
  );

  it('counts runs of 100,000 identical characters within the bounds the vocabulary allows', () => {
    // Each token of a run covers at most the longest run token, so the count is bounded below by length / longest.
    const count = countTokens('a'.repeat(100_000), 'cl100k_base');
    expect(count).toBeGreaterThanOrEqual(100_000 / 128);
    expect(count).toBeLessThanOrEqual(100_000);
    expect(countTokens(' '.repeat(100_000), 'o200k_base')).toBeGreaterThan(0);
  });
});
