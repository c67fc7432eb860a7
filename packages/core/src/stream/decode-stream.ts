// Reads an upstream body through a StreamDecoder into canonical chunks: pulled one by one, or pushed as they arrive.
import type { BodyConsumer } from '@gw/pool';
import type { ChatCompletionChunk } from '../types/openai.ts';
import type { StreamDecoder } from '../types/provider.ts';

/** Where a pushed stream delivers: each chunk, then exactly one of `end` or `error`. */
export interface ChunkHandlers<T> {
  chunk(chunk: T): void;
  end(): void;
  error(error: unknown): void;
}

/**
 * Chunks that can also be pushed: after any number of `next()` calls (none still waiting), `pushTo` delivers
 * the rest as they arrive, with no promise per chunk. `pause()` holds deliveries (and, past the body's buffer,
 * the upstream read) until `resume()`; `return()` stops the upstream either way.
 */
export interface PushableChunks<T> extends AsyncIterableIterator<T, undefined> {
  pushTo(handlers: ChunkHandlers<T>): void;
  return(): Promise<IteratorResult<T, undefined>>;
  pause(): void;
  resume(): void;
}

/** A body that can push its bytes (the pool's `ResponseBody`): the decoder then runs in its data callback. */
interface PushingBody {
  pipe(consumer: BodyConsumer): void;
  pause(): void;
  resume(): void;
}

function isPushingBody(body: unknown): body is PushingBody {
  const candidate = body as Partial<PushingBody>;
  return (
    typeof candidate.pipe === 'function' &&
    typeof candidate.pause === 'function' &&
    typeof candidate.resume === 'function'
  );
}

/** True for chunks `decodeStream` made from a body that can push. */
export function isPushable<T>(chunks: AsyncIterator<T>): chunks is PushableChunks<T> {
  return chunks instanceof DecodedStream && chunks.canPush;
}

const finished: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Decodes as bytes arrive. Once the terminator is seen it stops reading (an upstream that keeps the connection
 * open after `[DONE]` cannot hold the answer back); when the body ends without one, `decoder.end()` finalises a
 * finished answer or throws for a cut one. Errors (the body's and the decoder's) pass through `mapError`.
 */
export function decodeStream(
  body: AsyncIterable<Uint8Array>,
  decoder: StreamDecoder,
  mapError: (error: unknown) => unknown = rethrow,
): PushableChunks<ChatCompletionChunk> {
  return new DecodedStream(body, decoder, mapError);
}

class DecodedStream implements PushableChunks<ChatCompletionChunk> {
  readonly #body: AsyncIterable<Uint8Array>;
  /** The same body when it can push, decided once. */
  readonly #pushingBody: PushingBody | undefined;
  readonly #decoder: StreamDecoder;
  readonly #mapError: (error: unknown) => unknown;
  // Upstream bytes are views into the socket read that carried them (about 16 KB): they pass straight through
  // the decoder and are never kept here, so an open stream pins none while it waits.
  #reader: AsyncIterator<Uint8Array> | undefined;
  /** Decoded chunks not yet handed on: `queue[head]` is next. */
  #queue: readonly ChatCompletionChunk[] = [];
  #head = 0;
  /** No more bytes will be decoded: the terminator, the body's end, an error, or the consumer left. */
  #closed = false;
  /** The body was read to its end (nothing to tell it to stop). */
  #drained = false;
  #failure: { error: unknown } | undefined;
  #handlers: ChunkHandlers<ChatCompletionChunk> | undefined;
  #held = false;
  #settled = false;
  #reading = false;

  constructor(
    body: AsyncIterable<Uint8Array>,
    decoder: StreamDecoder,
    mapError: (error: unknown) => unknown,
  ) {
    this.#body = body;
    this.#pushingBody = isPushingBody(body) ? body : undefined;
    this.#decoder = decoder;
    this.#mapError = mapError;
  }

  get canPush(): boolean {
    return this.#pushingBody !== undefined;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
    for (;;) {
      const queued = this.#take();
      if (queued !== undefined) return { done: false, value: queued };
      if (this.#failure !== undefined) {
        const { error } = this.#failure;
        // Thrown once, as a generator does; the iterator is finished after it.
        this.#failure = undefined;
        this.#settled = true;
        throw error;
      }
      if (this.#closed) return finished;
      this.#reader ??= this.#body[Symbol.asyncIterator]();
      this.#reading = true;
      let step: IteratorResult<Uint8Array>;
      try {
        step = await this.#reader.next();
      } catch (error) {
        this.#fail(error);
        continue;
      } finally {
        this.#reading = false;
      }
      if (step.done === true) this.#bodyEnded();
      else this.#decode(step.value);
    }
  }

  async return(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
    this.#queue = [];
    this.#head = 0;
    this.#failure = undefined;
    this.#settled = true;
    if (!this.#closed) {
      this.#closed = true;
      await this.#stopBody();
    }
    return finished;
  }

  pushTo(handlers: ChunkHandlers<ChatCompletionChunk>): void {
    const body = this.#pushingBody;
    if (body === undefined || this.#reading || this.#handlers !== undefined) {
      throw new TypeError(
        'This stream cannot be pushed now: its body cannot push, or it is being read already.',
      );
    }
    this.#handlers = handlers;
    // The reader is how the body is told to stop (`return()`), in push mode as in pull mode.
    this.#reader ??= this.#body[Symbol.asyncIterator]();
    this.#deliver();
    if (this.#closed) return;
    body.pipe({
      data: (bytes) => {
        this.#decode(bytes);
        this.#deliver();
      },
      end: () => {
        this.#bodyEnded();
        this.#deliver();
      },
      error: (error) => {
        this.#fail(error);
        this.#deliver();
      },
    });
  }

  pause(): void {
    this.#held = true;
    if (!this.#closed) this.#pushingBody?.pause();
  }

  resume(): void {
    this.#held = false;
    this.#deliver();
    if (!this.#held && !this.#closed) this.#pushingBody?.resume();
  }

  #take(): ChatCompletionChunk | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const chunk = this.#queue[this.#head++];
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    return chunk;
  }

  /** Push mode: hands on what is decoded until the consumer holds, then the end or the error, once. */
  #deliver(): void {
    const handlers = this.#handlers;
    if (handlers === undefined || this.#settled) return;
    while (!this.#held) {
      const chunk = this.#take();
      if (chunk === undefined) break;
      handlers.chunk(chunk);
      if (this.#settled) return;
    }
    if (this.#held || this.#head < this.#queue.length) return;
    if (this.#failure !== undefined) {
      const { error } = this.#failure;
      this.#failure = undefined;
      this.#settled = true;
      handlers.error(error);
    } else if (this.#closed) {
      this.#settled = true;
      handlers.end();
    }
  }

  #decode(bytes: Uint8Array): void {
    if (this.#closed) return;
    let decoded: readonly ChatCompletionChunk[];
    try {
      decoded = this.#decoder.push(bytes);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#enqueue(decoded);
    if (this.#decoder.terminated) {
      this.#closed = true;
      void this.#stopBody();
    }
  }

  #bodyEnded(): void {
    if (this.#closed) return;
    this.#drained = true;
    let last: readonly ChatCompletionChunk[];
    try {
      last = this.#decoder.end();
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#enqueue(last);
    this.#closed = true;
  }

  #enqueue(decoded: readonly ChatCompletionChunk[]): void {
    if (decoded.length === 0) return;
    this.#queue = this.#head < this.#queue.length ? [...this.#queue.slice(this.#head), ...decoded] : decoded;
    this.#head = 0;
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#failure = { error: this.#mapError(error) };
    void this.#stopBody();
  }

  /** As `for await` does: a body left early (terminator, the consumer's return, an error) is told to stop. */
  async #stopBody(): Promise<void> {
    if (this.#drained || this.#reader === undefined) return;
    try {
      await this.#reader.return?.();
    } catch {
      // The body was already failing or gone; nothing more to release, and its failure must not replace the
      // error or answer that ended the stream.
    }
  }
}

function rethrow(error: unknown): unknown {
  return error;
}
