import { describe, expect, it } from 'vitest';
import { createCoarseClock } from '../src/coarse-clock.ts';
import { createMemoryStore } from '../src/memory-store.ts';
import { limitSpec } from './support/limit-spec.ts';
import { manualTimers } from './support/manual-timers.ts';

function countingSource(start: number) {
  let time = start;
  let reads = 0;
  return {
    source: () => {
      reads++;
      return time;
    },
    advance: (milliseconds: number) => {
      time += milliseconds;
    },
    reads: () => reads,
  };
}

describe('createCoarseClock', () => {
  it('reads the source once and then answers from memory until the timer ticks', () => {
    const timers = manualTimers();
    const source = countingSource(1_000);
    const clock = createCoarseClock({ source: source.source, timers, resolutionMs: 2 });
    expect(timers.running()).toBe(false);
    expect(clock()).toBe(1_000);
    expect(timers.running()).toBe(true);
    expect(timers.period()).toBe(2);
    source.advance(5);
    expect(clock()).toBe(1_000);
    expect(clock()).toBe(1_000);
    expect(source.reads()).toBe(1);
    timers.tick();
    expect(clock()).toBe(1_005);
    expect(source.reads()).toBe(2);
  });

  it('stops its timer after a tick with no read, and reads the source afresh on the next call', () => {
    const timers = manualTimers();
    const source = countingSource(0);
    const clock = createCoarseClock({ source: source.source, timers });
    clock();
    timers.tick(); // read since the last tick: refreshes
    expect(timers.running()).toBe(true);
    timers.tick(); // nothing read since: stops
    expect(timers.running()).toBe(false);
    source.advance(60_000);
    // After a quiet spell the first read is the source's own time, never the value from before it.
    expect(clock()).toBe(60_000);
    expect(timers.running()).toBe(true);
  });

  it('never refreshes more often than once a millisecond', () => {
    const timers = manualTimers();
    createCoarseClock({ timers, resolutionMs: 0 })();
    expect(timers.period()).toBe(1);
  });

  it('drives a memory store: a window rolls over when the tick brings the new time', () => {
    const timers = manualTimers();
    const source = countingSource(0);
    const store = createMemoryStore({ clock: createCoarseClock({ source: source.source, timers }) });
    const specs = [limitSpec('key:rpm', 'k', 'sliding-window', 2, 1_000)];
    const decide = () => store.decideNow({ specs, requests: 1, tokens: 0 }).allowed;
    expect([decide(), decide(), decide()]).toEqual([true, true, false]);
    source.advance(2_000);
    // Until the timer runs, the store still sees the old instant.
    expect(decide()).toBe(false);
    timers.tick();
    expect(decide()).toBe(true);
  });
});
