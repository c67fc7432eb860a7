// The interval timers the store's background work runs on: injectable for tests, unref'd by default.

export interface IntervalTimers {
  setInterval(callback: () => void, milliseconds: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Node's timers, unref'd: a rate limiter's housekeeping must not keep the process alive by itself. */
export const unrefIntervalTimers: IntervalTimers = {
  setInterval: (callback, milliseconds) => {
    const handle = setInterval(callback, milliseconds);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};
