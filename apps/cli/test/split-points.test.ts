import { countTokens, type EncodingName, encodingNames } from '@gw/tokens';
import { describe, expect, it } from 'vitest';
import { isSafeCut, splitForCounting } from '../src/tokens/split-points.ts';
import { variedText } from './varied-text.ts';

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('isSafeCut', () => {
  it('allows a cut before a space or newline that follows a letter or digit', () => {
    const bytes = bytesOf('ab\ncd 12 é\n');
    expect(isSafeCut(bytes, 2)).toBe(true);
    expect(isSafeCut(bytes, 5)).toBe(true);
    expect(isSafeCut(bytes, 8)).toBe(true);
    expect(isSafeCut(bytes, 11)).toBe(true);
  });

  it('refuses a cut after punctuation, whitespace or a combining mark, and inside a character', () => {
    expect(isSafeCut(bytesOf('end.\nx'), 4)).toBe(false);
    expect(isSafeCut(bytesOf('a  b'), 2)).toBe(false);
    expect(isSafeCut(bytesOf('e\u0301 x'), 3)).toBe(false);
    expect(isSafeCut(bytesOf('ab'), 1)).toBe(false);
    expect(isSafeCut(bytesOf('a\n'), 0)).toBe(false);
  });
});

describe('splitForCounting', () => {
  it('covers the input with contiguous parts that start at safe cuts', () => {
    const bytes = bytesOf(variedText(20_000));
    const parts = splitForCounting(bytes, 500);
    expect(parts.length).toBeGreaterThan(20);
    expect(parts[0]![0]).toBe(0);
    expect(parts.at(-1)![1]).toBe(bytes.length);
    for (let index = 1; index < parts.length; index++) {
      expect(parts[index]![0]).toBe(parts[index - 1]![1]);
      expect(isSafeCut(bytes, parts[index]![0])).toBe(true);
    }
  });

  it('keeps a text without any safe cut in one part', () => {
    const bytes = bytesOf('.\n'.repeat(1000));
    expect(splitForCounting(bytes, 10)).toEqual([[0, bytes.length]]);
  });

  it.each(encodingNames.map((name) => [name]))(
    'sums to the exact whole-text count in %s, even with tiny parts',
    (encoding: EncodingName) => {
      const text = variedText(60_000, 7);
      const bytes = bytesOf(text);
      const whole = countTokens(text, encoding);
      for (const size of [64, 1_000, 9_999]) {
        const sum = splitForCounting(bytes, size).reduce(
          (total, [start, end]) => total + countTokens(decode(bytes.subarray(start, end)), encoding),
          0,
        );
        expect(sum).toBe(whole);
      }
    },
  );

  it('would miscount if it cut after punctuation (the rule matters)', () => {
    const text = 'end.\nnext';
    expect(countTokens('end.', 'cl100k_base') + countTokens('\nnext', 'cl100k_base')).not.toBe(
      countTokens(text, 'cl100k_base'),
    );
  });
});
