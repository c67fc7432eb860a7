// UTF-8 decoding of bodies that arrive in pieces.
import { describe, expect, it } from 'vitest';
import { createUtf8Decoder } from '../../src/stream/utf8-decoder.ts';

const encoder = new TextEncoder();

function decode(pieces: readonly Uint8Array[]): string {
  const decoder = createUtf8Decoder();
  return pieces.map((piece) => decoder.write(piece)).join('') + decoder.end();
}

/** Every split of `bytes` into two pieces, so a multi-byte character is cut at each of its bytes. */
function everySplit(bytes: Uint8Array): Uint8Array[][] {
  return Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.slice(0, at), bytes.slice(at)]);
}

describe('createUtf8Decoder', () => {
  it('joins characters of two, three and four bytes wherever a piece ends', () => {
    for (const pieces of everySplit(encoder.encode('é € 𝄞'))) expect(decode(pieces)).toBe('é € 𝄞');
  });

  it('drops a byte-order mark at the start, even one split across pieces', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('{"n":1}')]);
    for (const pieces of everySplit(bytes)) expect(decode(pieces)).toBe('{"n":1}');
  });

  it('keeps a byte-order mark that is not at the start', () => {
    expect(decode([encoder.encode('a'), encoder.encode('\uFEFFb')])).toBe('a\uFEFFb');
  });

  it('turns invalid bytes and a character cut off by the end into U+FFFD', () => {
    expect(decode([new Uint8Array([0x61, 0xff, 0x62])])).toBe('a\uFFFDb');
    expect(decode([encoder.encode('xé').slice(0, -1)])).toBe('x\uFFFD');
  });
});
