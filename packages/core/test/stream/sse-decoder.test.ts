// The SSE decoder's byte handling: characters split across reads, a leading byte-order mark, bad bytes.
import { describe, expect, it } from 'vitest';
import { createSseJsonDecoder } from '../../src/stream/sse-decoder.ts';

const encoder = new TextEncoder();

function decodeAll(pieces: readonly Uint8Array[]): unknown[] {
  const decoder = createSseJsonDecoder();
  const events = pieces.flatMap((piece) => decoder.push(piece));
  return [...events, ...decoder.end()].map((event) => event.data);
}

/** Every split of `bytes` into two reads, so a multi-byte character is cut at each of its bytes. */
function everySplit(bytes: Uint8Array): Uint8Array[][] {
  return Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.slice(0, at), bytes.slice(at)]);
}

describe('createSseJsonDecoder', () => {
  it('decodes characters of two, three and four bytes wherever a read cuts them', () => {
    const bytes = encoder.encode('data: {"text":"é € 𝄞"}\n\n');
    for (const pieces of everySplit(bytes)) {
      expect(decodeAll(pieces)).toEqual([{ text: 'é € 𝄞' }]);
    }
  });

  it('ignores a byte-order mark at the start of the stream, even one split across reads', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data: {"n":1}\n\ndata: {"n":2}\n\n')]);
    for (const pieces of everySplit(bytes)) {
      expect(decodeAll(pieces)).toEqual([{ n: 1 }, { n: 2 }]);
    }
  });

  it('keeps a byte-order mark that is not at the start, as data', () => {
    expect(decodeAll([encoder.encode('data: {"n":1}\n\ndata: "\uFEFFx"\n\n')])).toEqual([
      { n: 1 },
      '\uFEFFx',
    ]);
  });

  it('turns invalid bytes into replacement characters instead of failing', () => {
    const bytes = new Uint8Array([...encoder.encode('data: "a'), 0xff, ...encoder.encode('b"\n\n')]);
    expect(decodeAll([bytes])).toEqual(['a\uFFFDb']);
  });

  it('ends a character cut off by the end of the stream with a replacement character', () => {
    const malformed: string[] = [];
    const decoder = createSseJsonDecoder((raw) => malformed.push(raw));
    decoder.push(encoder.encode('data: "x\n\ndata: "é').slice(0, -1));
    expect(decoder.end()).toEqual([]);
    expect(malformed).toEqual(['"x', '"\uFFFD']);
  });
});
