// A response body as a back-pressured byte stream: buffering past the high-water mark pauses the upstream read.
import { PoolError } from './pool-error.ts';

/** What the body needs from the request it belongs to. */
export interface BodySource {
  pause(): void;
  resume(): void;
  /** Stop the upstream transfer (the consumer gave up) and free the connection. */
  cancel(reason: PoolError): void;
  readonly origin: string;
}

interface Waiter {
  resolve(result: IteratorResult<Uint8Array>): void;
  reject(error: unknown): void;
}

/** Takes a body's bytes as they arrive (push mode), with no promise per chunk. */
export interface BodyConsumer {
  data(chunk: Buffer): void;
  end(): void;
  error(error: PoolError): void;
}

interface Collector {
  resolve(bytes: Buffer): void;
  reject(error: unknown): void;
}

const done: IteratorResult<Uint8Array> = Object.freeze({ done: true, value: undefined });

function utf8(bytes: Buffer): string {
  return bytes.toString('utf8');
}

export class ResponseBody implements AsyncIterable<Uint8Array> {
  readonly #source: BodySource;
  readonly #highWaterMark: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended = false;
  #error: PoolError | undefined;
  #paused = false;
  #claimed = false;
  #waiter: Waiter | undefined;
  #collector: Collector | undefined;
  #consumer: BodyConsumer | undefined;
  /** The consumer asked to hold deliveries (its own sink is full): bytes, end and error wait in order. */
  #held = false;

  constructor(source: BodySource, highWaterMark: number) {
    this.#source = source;
    this.#highWaterMark = highWaterMark;
  }

  /** Bytes received from upstream and not yet handed to the consumer. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  push(chunk: Buffer): void {
    if (this.#consumer !== undefined && !this.#held) {
      this.#consumer.data(chunk);
      return;
    }
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ done: false, value: chunk });
      return;
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#collector === undefined && this.#buffered >= this.#highWaterMark && !this.#paused) {
      this.#paused = true;
      this.#source.pause();
    }
  }

  end(): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#ended = true;
    if (!this.#held) this.#settleConsumer();
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve(done);
    }
    const collector = this.#collector;
    if (collector !== undefined) {
      this.#collector = undefined;
      collector.resolve(this.#drainAll());
    }
  }

  fail(error: PoolError): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#error = error;
    if (!this.#held) this.#settleConsumer();
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.reject(error);
    }
    const collector = this.#collector;
    if (collector !== undefined) {
      this.#collector = undefined;
      this.#chunks = [];
      collector.reject(error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#claim();
    return {
      next: () => this.#next(),
      return: () => {
        this.cancel();
        return Promise.resolve(done);
      },
    };
  }

  /** The whole body as one buffer; no pausing, since the caller asked for all of it. */
  bytes(): Promise<Buffer> {
    return this.#collect((bytes) => bytes);
  }

  text(): Promise<string> {
    return this.#collect(utf8);
  }

  /** The whole body through `finish`, in one promise (not one for the bytes and another for what is made of them). */
  #collect<T>(finish: (bytes: Buffer) => T): Promise<T> {
    // A second read rejects like any other failure of a promise-returning read, rather than throwing.
    if (this.#claimed) return Promise.reject(this.#consumedError());
    this.#claimed = true;
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(finish(this.#drainAll()));
    return new Promise<T>((resolve, reject) => {
      this.#collector = { resolve: (bytes) => resolve(finish(bytes)), reject };
      this.#resumeSource();
    });
  }

  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new PoolError({
        code: 'GW_ERR_POOL_UPSTREAM',
        message: `response body from ${this.#source.origin} is not valid JSON (${text.length} chars); read it with text() to inspect`,
        origin: this.#source.origin,
        cause: error,
      });
    }
  }

  /**
   * Push mode: from now on every chunk goes to `consumer` as it arrives, then its end or error, with no promise
   * per chunk (an open stream then keeps no pending read between chunks). Bytes already buffered go first. It
   * may follow reads through the iterator, but not one still waiting.
   */
  pipe(consumer: BodyConsumer): void {
    if (this.#waiter !== undefined || this.#collector !== undefined || this.#consumer !== undefined) {
      throw new PoolError({
        code: 'GW_ERR_POOL_INVALID_REQUEST',
        message: `the response body from ${this.#source.origin} is being read already; pipe it before reading or between reads`,
        origin: this.#source.origin,
      });
    }
    this.#claimed = true;
    this.#consumer = consumer;
    // Paused before piping (the consumer's sink was full already), it waits for resume() like any pause.
    if (!this.#held) this.resume();
  }

  /** Push mode: holds deliveries and, past the high-water mark, the upstream read, until `resume()`. */
  pause(): void {
    this.#held = true;
  }

  /** Push mode: delivers what waited, in order, then passes bytes on as they arrive again. */
  resume(): void {
    this.#held = false;
    const consumer = this.#consumer;
    if (consumer === undefined) return;
    if (this.#chunks.length > 0) {
      consumer.data(this.#drainAll());
      // The consumer may have held deliveries again while taking that.
      if (this.#held) return;
    }
    if (this.#error !== undefined || this.#ended) this.#settleConsumer();
    else this.#resumeSource();
  }

  /** Stops reading: the upstream request is aborted and its connection freed. */
  cancel(): void {
    if (this.#ended || this.#error !== undefined) return;
    const reason = new PoolError({
      code: 'GW_ERR_POOL_ABORTED',
      message: `the consumer stopped reading the response body from ${this.#source.origin}`,
      origin: this.#source.origin,
    });
    this.#chunks = [];
    this.#buffered = 0;
    this.fail(reason);
    this.#source.cancel(reason);
  }

  /** Lets the upstream read again if the buffer had paused it. */
  #resumeSource(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#source.resume();
  }

  /** Tells the consumer how the body ended, once. */
  #settleConsumer(): void {
    const consumer = this.#consumer;
    if (consumer === undefined) return;
    this.#consumer = undefined;
    if (this.#error !== undefined) consumer.error(this.#error);
    else consumer.end();
  }

  #claim(): void {
    if (this.#claimed) throw this.#consumedError();
    this.#claimed = true;
  }

  #consumedError(): PoolError {
    return new PoolError({
      code: 'GW_ERR_POOL_INVALID_REQUEST',
      message: `the response body from ${this.#source.origin} was already consumed; read it only once`,
      origin: this.#source.origin,
    });
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#chunks.length > 0) {
      // Hand over everything buffered at once: a byte stream has no chunk boundaries to keep, and one
      // iteration per buffered burst costs far fewer promise turns than one per network chunk.
      const chunk = this.#drainAll();
      this.#resumeSource();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(done);
    return new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #drainAll(): Buffer {
    const chunks = this.#chunks;
    const length = this.#buffered;
    this.#chunks = [];
    this.#buffered = 0;
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, length);
  }
}
