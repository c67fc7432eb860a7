// Turns a producer that pushes pieces (and waits while the consumer is busy) into an async iterator.

/**
 * Hands one piece to the consumer. Resolves to true when the consumer wants the next, to false when it left
 * (`return()`), so the producer stops and cleans up. May return a plain boolean when it did not have to wait.
 */
export type Emit<T> = (value: T) => boolean | Promise<boolean>;

/** A producer: emits until it is done or `emit` says the consumer left; its rejection is the iterator's. */
export type Producer<T> = (emit: Emit<T>) => Promise<void>;

interface Waiting<T> {
  resolve(result: IteratorResult<T, undefined>): void;
  reject(error: unknown): void;
}

const finished: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Pull semantics of an async generator over `produce`: the producer starts on the first `next()`, runs until it
 * emits one piece, and waits there until the consumer asks for another; `return()` lets it finish (its cleanup
 * included) before resolving. `signal` aborting counts as the consumer leaving, as `return()` does: a consumer
 * that was cancelled may never ask again, and the producer must not wait on it for its cleanup.
 */
export function pullFromPush<T>(
  produce: Producer<T>,
  signal?: AbortSignal,
): AsyncIterableIterator<T, undefined> {
  let running: Promise<void> | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;
  /** The consumer waiting for a piece. */
  let waiting: Waiting<T> | undefined;
  /** A piece the producer emitted before anyone asked, and the producer waiting for it to be taken. */
  let offered: { value: T; take(wanted: boolean): void } | undefined;
  /** The producer waiting for the consumer to ask again after taking a piece. */
  let paused: ((wanted: boolean) => void) | undefined;
  let left = false;

  const emit: Emit<T> = (value) => {
    if (left) return false;
    const consumer = waiting;
    if (consumer !== undefined) {
      waiting = undefined;
      consumer.resolve({ done: false, value });
      return new Promise<boolean>((resolve) => {
        paused = resolve;
      });
    }
    return new Promise<boolean>((resolve) => {
      offered = { value, take: resolve };
    });
  };

  const settle = () => {
    ended = true;
    signal?.removeEventListener('abort', onAbort);
    const consumer = waiting;
    waiting = undefined;
    if (consumer === undefined) return;
    // An error is delivered once, as a generator throws once and then reports done.
    const delivered = failure;
    failure = undefined;
    if (delivered !== undefined) consumer.reject(delivered.error);
    else consumer.resolve(finished);
  };

  const start = () => {
    running = produce(emit).then(settle, (error: unknown) => {
      failure = { error };
      settle();
    });
  };

  /** Tells a producer waiting on the consumer that it is gone; false from then on. */
  const leave = () => {
    left = true;
    const resume = paused ?? offered?.take;
    paused = undefined;
    offered = undefined;
    resume?.(false);
  };

  function onAbort(): void {
    leave();
    // Never iterated: the producer still runs, to find the consumer gone and clean up.
    if (running === undefined) start();
  }
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  const iterator: AsyncIterableIterator<T, undefined> = {
    next() {
      if (running === undefined) start();
      const piece = offered;
      if (piece !== undefined) {
        offered = undefined;
        // The producer goes on once this piece is taken, as a generator resumes on the next call.
        paused = piece.take;
        return Promise.resolve({ done: false, value: piece.value });
      }
      const resume = paused;
      if (resume !== undefined) {
        paused = undefined;
        return new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
          waiting = { resolve, reject };
          resume(true);
        });
      }
      if (ended) {
        if (failure === undefined) return Promise.resolve(finished);
        const { error } = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      return new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    async return() {
      if (running === undefined) {
        left = true;
        ended = true;
        signal?.removeEventListener('abort', onAbort);
        return finished;
      }
      leave();
      await running;
      return finished;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
