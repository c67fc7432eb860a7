// A clock read from a variable a timer refreshes, for in-process decisions where reading the system clock dominates.
import { type IntervalTimers, unrefIntervalTimers } from './interval-timers.ts';

export interface CoarseClockOptions {
  /** How often the time is refreshed while the clock is read, in milliseconds. Default 1. */
  resolutionMs?: number;
  /** The clock refreshed from. Default `Date.now`. */
  source?: () => number;
  /** Default: Node's timers, unref'd. */
  timers?: IntervalTimers;
}

/**
 * Returns a clock for `createMemoryStore({ clock })`. `Date.now()` is a call into the system clock: about 25 ns on
 * a machine whose kernel reads the clock in user space, 90 ns and more on virtual machines where it does not
 * (measured: 88 ns on the benchmark's Firecracker VM, most of a memory-store decision there). This clock reads
 * a number instead, refreshed every `resolutionMs` by one timer.
 *
 * Accuracy: a read lags the source by at most `resolutionMs` plus however long the event loop was blocked, since
 * the timer runs on it; decisions within one synchronous run of code all see the same instant. For limits over
 * seconds and minutes that is exact enough; keep `Date.now` where a millisecond of lag matters.
 *
 * The timer runs only while the clock is read: a tick with no read since the previous one stops it, and the next
 * read starts it again from a fresh reading of the source, so an idle process has no timer and a read after a
 * quiet spell is never stale.
 */
export function createCoarseClock(options: CoarseClockOptions = {}): () => number {
  const source = options.source ?? Date.now;
  const resolutionMs = Math.max(1, options.resolutionMs ?? 1);
  const timers = options.timers ?? unrefIntervalTimers;
  let current = 0;
  let readSinceTick = false;
  let handle: unknown;

  function tick(): void {
    if (!readSinceTick) {
      timers.clearInterval(handle);
      handle = undefined;
      return;
    }
    readSinceTick = false;
    current = source();
  }

  return () => {
    if (handle === undefined) {
      current = source();
      handle = timers.setInterval(tick, resolutionMs);
    }
    readSinceTick = true;
    return current;
  };
}
