// The contract every Tokenizer implementation satisfies; run it against each one.
import { describe, expect, it } from 'vitest';
import type { Tokenizer } from '../src/index.ts';

const samples = [
  '',
  'hello world',
  '  leading and trailing  ',
  'naïve café — 東京 😀',
  'line\r\nbreaks\n\n\tand tabs',
  '<|endoftext|>',
];

export function tokenizerContract(name: string, create: () => Tokenizer): void {
  describe(`Tokenizer contract: ${name}`, () => {
    it('counts exactly as many tokens as it encodes', () => {
      const tokenizer = create();
      for (const text of samples) expect(tokenizer.count(text)).toBe(tokenizer.encode(text).length);
    });

    it('decodes its own encoding back to the text', () => {
      const tokenizer = create();
      for (const text of samples) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    });

    it('counts the empty string as zero and any other text as at least one token', () => {
      const tokenizer = create();
      expect(tokenizer.count('')).toBe(0);
      expect(tokenizer.count('x')).toBeGreaterThanOrEqual(1);
    });

    it('is deterministic across calls', () => {
      const tokenizer = create();
      const text = samples.join(' ');
      expect(tokenizer.encode(text)).toEqual(tokenizer.encode(text));
    });
  });
}
