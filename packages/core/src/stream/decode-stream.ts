// Reads an upstream body through a StreamDecoder, yielding canonical chunks and stopping at the terminator at once.
import type { ChatCompletionChunk } from '../types/openai.ts';
import type { StreamDecoder } from '../types/provider.ts';

/**
 * Yields chunks as bytes arrive. Once the terminator is seen it stops reading (an upstream that keeps the
 * connection open after `[DONE]` cannot hold the answer back); when the body ends without one, `decoder.end()`
 * finalises a finished answer or throws for a cut one.
 */
export async function* decodeStream(
  body: AsyncIterable<Uint8Array>,
  decoder: StreamDecoder,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  for await (const bytes of body) {
    for (const chunk of decoder.push(bytes)) yield chunk;
    if (decoder.terminated) return;
  }
  for (const chunk of decoder.end()) yield chunk;
}
