import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBody } from '../src/read-body.ts';

/** A request body arriving in exactly these chunks, as a socket may split it. */
function requestOf(chunks: Buffer[], headers: Record<string, string> = {}): IncomingMessage {
  const stream = Readable.from(chunks, { objectMode: false }) as unknown as IncomingMessage;
  Object.assign(stream, { headers });
  return stream;
}

describe('readBody', () => {
  const text = '{"content":"héllo wörld"}';
  const bytes = Buffer.from(text, 'utf8');

  it('decodes a body that arrives in one chunk', async () => {
    expect(await readBody(requestOf([bytes]), 1024)).toEqual({ ok: true, text });
  });

  it('decodes a body split inside a multi-byte character across chunks', async () => {
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of "é"
    const chunks = [bytes.subarray(0, split), bytes.subarray(split, split + 3), bytes.subarray(split + 3)];
    expect(await readBody(requestOf(chunks), 1024)).toEqual({ ok: true, text });
  });

  it('refuses a body over the limit while it arrives, without a declared length', async () => {
    const chunks = [bytes, bytes, bytes];
    expect(await readBody(requestOf(chunks), bytes.length * 2)).toEqual({
      ok: false,
      reason: 'too_large',
      limit: bytes.length * 2,
    });
  });

  it('refuses at once a body whose declared length is over the limit', async () => {
    const request = requestOf([bytes], { 'content-length': String(bytes.length) });
    expect(await readBody(request, bytes.length - 1)).toMatchObject({ ok: false, reason: 'too_large' });
  });
});
