// Virtual time for tests and the simulation: timers fire only when driven, the clock jumps to the next timer.
import { createSleep, type Sleep, type Timers } from '../../src/timers.ts';

interface Scheduled {
  at: number;
  sequence: number;
  callback: () => void;
  cancelled: boolean;
}

function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class VirtualTime implements Timers {
  now: number;
  readonly #queue: Scheduled[] = [];
  #sequence = 0;
  readonly clock = (): number => this.now;
  readonly sleep: Sleep = createSleep(this);

  constructor(start = 1_000_000) {
    this.now = start;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const entry: Scheduled = {
      at: this.now + Math.max(0, ms),
      sequence: this.#sequence++,
      callback,
      cancelled: false,
    };
    // Binary insertion keeps the queue ordered by time, then by scheduling order.
    let low = 0;
    let high = this.#queue.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.#queue[middle] as Scheduled;
      if (other.at < entry.at || (other.at === entry.at && other.sequence < entry.sequence)) low = middle + 1;
      else high = middle;
    }
    this.#queue.splice(low, 0, entry);
    return entry;
  }

  clearTimeout(handle: unknown): void {
    (handle as Scheduled).cancelled = true;
  }

  get pending(): number {
    return this.#queue.filter((entry) => !entry.cancelled).length;
  }

  /** Fires the next timer, moving the clock to it; false when none is left. */
  #fireNext(limit = Number.POSITIVE_INFINITY): boolean {
    for (;;) {
      const next = this.#queue[0];
      if (next === undefined || next.at > limit) return false;
      this.#queue.shift();
      if (next.cancelled) continue;
      this.now = Math.max(this.now, next.at);
      next.callback();
      return true;
    }
  }

  /** Moves time forward by `ms`, firing due timers in order and letting promise chains run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await flushMicrotasks();
    while (this.#fireNext(target)) await flushMicrotasks();
    this.now = target;
    await flushMicrotasks();
  }

  /** Drives time until `promise` settles; fails if it waits on nothing. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    await flushMicrotasks();
    while (!settled) {
      if (!this.#fireNext()) throw new Error('virtual time: the promise waits on no timer (deadlock)');
      await flushMicrotasks();
    }
    return promise;
  }
}
