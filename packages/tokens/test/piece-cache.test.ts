import { describe, expect, it } from 'vitest';
import { PieceCache } from '../src/piece-cache.ts';
import { HASH_MULTIPLIER } from '../src/rank-table.ts';

function hashOf(bytes: Uint8Array): number {
  let hash = 0;
  for (const byte of bytes) hash = (Math.imul(hash, HASH_MULTIPLIER) + byte) | 0;
  return hash;
}

describe('PieceCache', () => {
  it('returns what was stored for a piece', () => {
    const cache = new PieceCache(16);
    const key = new TextEncoder().encode('hello');
    cache.insert(key, key.length, hashOf(key), [1, 2, 3], 0);
    const entry = cache.find(key, key.length, hashOf(key));
    const tokens: number[] = [];
    cache.appendTokens(entry, tokens);
    expect(tokens).toEqual([1, 2, 3]);
    expect(cache.countOf(entry)).toBe(3);
    const other = new TextEncoder().encode('hellp');
    expect(cache.find(other, other.length, hashOf(other))).toBe(-1);
  });

  it('never holds more than its capacity, however many distinct pieces arrive', () => {
    const cache = new PieceCache(1000);
    const encoder = new TextEncoder();
    for (let index = 0; index < 50_000; index++) {
      const key = encoder.encode(`piece-${index}`);
      cache.insert(key, key.length, hashOf(key), [index, index + 1], 0);
      expect(cache.size).toBeLessThanOrEqual(1000);
    }
    const recent = encoder.encode('piece-49999');
    expect(cache.find(recent, recent.length, hashOf(recent))).not.toBe(-1);
  });
});
