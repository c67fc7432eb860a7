// Timeouts for many concurrent calls from one shared ticker, instead of a timer per call on the hot path.
import { type IntervalTimers, unrefIntervalTimers } from './interval-timers.ts';

export class StoreTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs}ms`);
    this.name = 'StoreTimeoutError';
  }
}

interface Pending {
  tick: number;
  settled: boolean;
  reject: (error: Error) => void;
}

/** A call times out after between 3/4 and all of timeoutMs, checked on quarter ticks. */
const ticksPerTimeout = 4;

export interface DeadlineTicker {
  within<T>(promise: Promise<T>): Promise<T>;
  stop(): void;
}

export function createDeadlineTicker(
  timeoutMs: number,
  timers: IntervalTimers = unrefIntervalTimers,
): DeadlineTicker {
  let tick = 0;
  let queue: Pending[] = [];
  let head = 0;
  let handle: unknown;

  function stop(): void {
    if (handle === undefined) return;
    timers.clearInterval(handle);
    handle = undefined;
  }

  function onTick(): void {
    tick++;
    // Calls were queued in start order, so the oldest unsettled call is the first to time out.
    while (head < queue.length) {
      const pending = queue[head]!;
      if (!pending.settled) {
        if (tick - pending.tick < ticksPerTimeout) break;
        pending.settled = true;
        pending.reject(new StoreTimeoutError(timeoutMs));
      }
      head++;
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
      stop();
    } else if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  return {
    within(promise) {
      return new Promise((resolve, reject) => {
        const pending: Pending = { tick, settled: false, reject };
        queue.push(pending);
        handle ??= timers.setInterval(onTick, Math.max(1, timeoutMs / ticksPerTimeout));
        promise.then(
          (value) => {
            if (pending.settled) return;
            pending.settled = true;
            resolve(value);
          },
          (error: unknown) => {
            if (pending.settled) return;
            pending.settled = true;
            reject(error);
          },
        );
      });
    },
    stop,
  };
}
