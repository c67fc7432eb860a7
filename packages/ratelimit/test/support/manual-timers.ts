// Fake interval timers for tests: the test decides when a tick happens, and can see whether one is running.
import type { IntervalTimers } from '../../src/interval-timers.ts';

export interface ManualTimers extends IntervalTimers {
  tick(): void;
  running(): boolean;
  period(): number;
}

export function manualTimers(): ManualTimers {
  let callback: (() => void) | undefined;
  let milliseconds = 0;
  return {
    setInterval: (run, every) => {
      callback = run;
      milliseconds = every;
      return 1;
    },
    clearInterval: () => {
      callback = undefined;
    },
    tick: () => callback?.(),
    running: () => callback !== undefined,
    period: () => milliseconds,
  };
}
