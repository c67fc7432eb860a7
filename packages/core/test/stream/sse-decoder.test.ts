// The SSE decoder on bytes as an upstream sends them: cut anywhere, possibly starting with a byte-order mark.
import { describe, expect, it } from 'vitest';
import { createSseJsonDecoder } from '../../src/stream/sse-decoder.ts';

const encoder = new TextEncoder();

function decodeAll(pieces: readonly Uint8Array[]): unknown[] {
  const decoder = createSseJsonDecoder();
  const events = pieces.flatMap((piece) => decoder.push(piece));
  return [...events, ...decoder.end()].map((event) => event.data);
}

describe('createSseJsonDecoder', () => {
  it('yields every event of a stream that starts with a byte-order mark and multi-byte text, cut anywhere', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...encoder.encode('data: {"text":"é € 𝄞"}\n\ndata: [DONE]\n\n'),
    ]);
    for (let at = 0; at <= bytes.length; at++) {
      expect(decodeAll([bytes.slice(0, at), bytes.slice(at)])).toEqual([{ text: 'é € 𝄞' }, '[DONE]']);
    }
  });

  it('reports an event cut off by the end of the stream as malformed, its last character as U+FFFD', () => {
    const malformed: string[] = [];
    const decoder = createSseJsonDecoder((raw) => malformed.push(raw));
    decoder.push(encoder.encode('data: "x\n\ndata: "é').slice(0, -1));
    expect(decoder.end()).toEqual([]);
    expect(malformed).toEqual(['"x', '"\uFFFD']);
  });
});
