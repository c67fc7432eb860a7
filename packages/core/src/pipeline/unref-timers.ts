// Timers that never keep the process alive on their own: a pending retry wait must not block shutdown.

export const unrefTimers = {
  setTimeout(callback: () => void, ms: number): unknown {
    return setTimeout(callback, ms).unref();
  },
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
