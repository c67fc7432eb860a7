import { describe, expect, it } from 'vitest';
import { createDeadlineTicker, StoreTimeoutError } from '../src/deadline-ticker.ts';
import { manualTimers } from './support/manual-timers.ts';

const never = () => new Promise<never>(() => {});

describe('createDeadlineTicker', () => {
  it('rejects a call still pending after four quarter-timeout ticks', async () => {
    const timers = manualTimers();
    const ticker = createDeadlineTicker(100, timers);
    const call = ticker.within(never());
    expect(timers.period()).toBe(25);
    let outcome: unknown;
    call.catch((error: unknown) => {
      outcome = error;
    });
    for (let tick = 0; tick < 3; tick++) timers.tick();
    await Promise.resolve();
    expect(outcome).toBeUndefined();
    timers.tick();
    await expect(call).rejects.toBeInstanceOf(StoreTimeoutError);
  });

  it('passes through values and errors that arrive in time, and stops ticking when idle', async () => {
    const timers = manualTimers();
    const ticker = createDeadlineTicker(100, timers);
    await expect(ticker.within(Promise.resolve(7))).resolves.toBe(7);
    await expect(ticker.within(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(timers.running()).toBe(true);
    timers.tick();
    expect(timers.running()).toBe(false);
  });

  it('times out only the calls old enough, leaving later ones pending', async () => {
    const timers = manualTimers();
    const ticker = createDeadlineTicker(100, timers);
    const old = ticker.within(never());
    timers.tick();
    timers.tick();
    const recent = ticker.within(never());
    let recentOutcome: unknown;
    recent.catch((error: unknown) => {
      recentOutcome = error;
    });
    timers.tick();
    timers.tick();
    await expect(old).rejects.toBeInstanceOf(StoreTimeoutError);
    expect(recentOutcome).toBeUndefined();
    timers.tick();
    timers.tick();
    await expect(recent).rejects.toBeInstanceOf(StoreTimeoutError);
  });
});
