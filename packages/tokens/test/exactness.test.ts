import { get_encoding, type Tiktoken } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { countTokens, type EncodingName, encode, encodingNames } from '../src/index.ts';
import { codeCorpus, controlCorpus, multilingualCorpus, proseCorpus } from './support/corpus.ts';
import { randomStrings } from './support/random-strings.ts';

// tiktoken (the official Rust core compiled to WASM) is the oracle; special tokens are ordinary text in both.
const oracles = new Map<EncodingName, Tiktoken>(encodingNames.map((name) => [name, get_encoding(name)]));
afterAll(() => {
  for (const oracle of oracles.values()) oracle.free();
});

function oracleEncode(name: EncodingName, text: string): number[] {
  return Array.from((oracles.get(name) as Tiktoken).encode(text, [], []));
}

/** The first index where the two token arrays differ, for a readable failure. */
function firstDifference(actual: readonly number[], expected: readonly number[]): number {
  const length = Math.max(actual.length, expected.length);
  for (let index = 0; index < length; index++) if (actual[index] !== expected[index]) return index;
  return -1;
}

const corpus = {
  prose: proseCorpus(900_000),
  code: codeCorpus(700_000),
  multilingual: multilingualCorpus(700_000),
  control: controlCorpus(200_000),
};

describe.each(encodingNames)('%s against tiktoken', (name) => {
  it('encodes a 2.5 MB corpus of prose, code, multilingual text, emoji and control characters identically', () => {
    let checkedBytes = 0;
    for (const [kind, text] of Object.entries(corpus)) {
      // Documents of 32 KB keep each oracle call short while covering every boundary the corpus has.
      for (let start = 0; start < text.length; start += 32_768) {
        const document = text.slice(start, start + 32_768);
        const expected = oracleEncode(name, document);
        const actual = encode(document, name);
        expect({ kind, start, at: firstDifference(actual, expected) }).toEqual({ kind, start, at: -1 });
        expect(countTokens(document, name)).toBe(expected.length);
        checkedBytes += Buffer.byteLength(document);
      }
    }
    expect(checkedBytes).toBeGreaterThan(2_500_000);
  });

  it('encodes 30,000 seeded random strings identically', () => {
    const strings = randomStrings(30_000, encodingNames.indexOf(name) + 11);
    const mismatches: string[] = [];
    for (const text of strings) {
      const expected = oracleEncode(name, text);
      const actual = encode(text, name);
      if (firstDifference(actual, expected) !== -1 || countTokens(text, name) !== expected.length) {
        mismatches.push(JSON.stringify(text));
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('matches on long runs of one character, where merging switches to the heap', () => {
    for (const unit of ['a', ' ', '\n', '0', '!', '\u00e9', '\u65e5', '\ud83d\ude00', ' a', 'ab', '\t ']) {
      for (const repeat of [47, 48, 49, 64, 65, 100, 257, 1000, 3000]) {
        const text = unit.repeat(repeat);
        expect(encode(text, name), `${JSON.stringify(unit)} x ${repeat}`).toEqual(oracleEncode(name, text));
      }
    }
  });

  it('matches on runs of 20,000 letters and spaces', () => {
    for (const unit of ['a', ' ', 'ab ']) {
      const text = unit.repeat(20_000);
      expect(countTokens(text, name)).toBe(oracleEncode(name, text).length);
    }
  });

  it('counts lone surrogates as tiktoken does after replacing them with U+FFFD', () => {
    for (const text of ['\ud800', 'a\udc00b', '\ud83d', 'x\ud83d\ude00\ud83d', '\udfff\ud800 hi']) {
      expect(encode(text, name)).toEqual(oracleEncode(name, text));
    }
  });
});

describe('alternating encodings', () => {
  it('stays exact when the same texts are counted by each encoding in turn', () => {
    const texts = randomStrings(2_000, 99, 8);
    for (const text of texts) {
      for (const name of encodingNames) {
        expect(countTokens(text, name)).toBe(oracleEncode(name, text).length);
      }
    }
  });
});
