// Sliding-window log: every admitted amount with its timestamp, so any W-long span holds at most the limit.
// Exact. Memory: two numbers per admitted call still inside the window (O(limit) per key for request limits).
// State: log = flat [timestamp, amount] pairs from logHead on, b = their sum.
import type { LimitState } from './limit-state.ts';
import type { Limiter } from './limiter.ts';

function compact(state: LimitState, log: number[]): void {
  // Drop the consumed prefix once it dominates, so the array does not grow without bound.
  if (state.logHead > 64 && state.logHead * 2 > log.length) {
    log.splice(0, state.logHead);
    state.logHead = 0;
  }
}

export const slidingLog: Limiter = {
  used(state, spec, now) {
    if (state.fresh) {
      state.fresh = false;
      state.log = [];
      state.logHead = 0;
      state.b = 0;
      return 0;
    }
    const log = state.log!;
    const horizon = now - spec.windowMs;
    let head = state.logHead;
    while (head < log.length && log[head]! <= horizon) {
      state.b -= log[head + 1]!;
      head += 2;
    }
    state.logHead = head;
    if (head === log.length) {
      log.length = 0;
      state.logHead = 0;
      state.b = 0;
    } else {
      compact(state, log);
    }
    return state.b;
  },
  consume(state, _spec, now, amount) {
    if (amount <= 0) return;
    state.log!.push(now, amount);
    state.b += amount;
  },
  resetMs(state, spec, now) {
    const log = state.log!;
    return log.length > state.logHead ? log[log.length - 2]! + spec.windowMs - now : 0;
  },
  retryAfterMs(state, spec, now, excess) {
    const log = state.log!;
    let freed = 0;
    for (let index = state.logHead; index < log.length; index += 2) {
      freed += log[index + 1]!;
      if (freed >= excess) return log[index]! + spec.windowMs - now;
    }
    return Number.POSITIVE_INFINITY;
  },
  expiresAt(state, spec) {
    const log = state.log;
    return log !== undefined && log.length > state.logHead ? log[log.length - 2]! + spec.windowMs : 0;
  },
};
