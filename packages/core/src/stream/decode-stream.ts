// Reads an upstream body through a StreamDecoder, yielding canonical chunks and stopping at the terminator at once.
import type { ChatCompletionChunk } from '../types/openai.ts';
import type { StreamDecoder } from '../types/provider.ts';

/**
 * Yields chunks as bytes arrive. Once the terminator is seen it stops reading (an upstream that keeps the
 * connection open after `[DONE]` cannot hold the answer back); when the body ends without one, `decoder.end()`
 * finalises a finished answer or throws for a cut one. Errors (the body's and the decoder's) pass through
 * `mapError`, so a caller can type them without wrapping this generator in another.
 */
export async function* decodeStream(
  body: AsyncIterable<Uint8Array>,
  decoder: StreamDecoder,
  mapError: (error: unknown) => unknown = rethrow,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  // Iterated by hand rather than with for await: its loop variable stays in this generator's frame while it
  // waits at a yield, and upstream bytes are views into the socket read that carried them (about 16 KB), so
  // each open stream pinned one. Here the bytes only pass through decodeNext.
  const reader = body[Symbol.asyncIterator]();
  let drained = false;
  try {
    for (;;) {
      const decoded = decodeNext(decoder, await reader.next());
      if (decoded === undefined) break;
      for (const chunk of decoded) yield chunk;
      if (decoder.terminated) return;
    }
    drained = true;
    for (const chunk of decoder.end()) yield chunk;
  } catch (error) {
    throw mapError(error);
  } finally {
    // As for await does: a body left early (terminator, the consumer's return, an error) is told to stop.
    if (!drained) await closeQuietly(reader);
  }
}

/** Its own failure must not replace the error or answer that ended the stream. */
async function closeQuietly(reader: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    await reader.return?.();
  } catch {
    // The body was already failing or gone; nothing more to release.
  }
}

function decodeNext(
  decoder: StreamDecoder,
  step: IteratorResult<Uint8Array>,
): readonly ChatCompletionChunk[] | undefined {
  return step.done ? undefined : decoder.push(step.value);
}

function rethrow(error: unknown): unknown {
  return error;
}
