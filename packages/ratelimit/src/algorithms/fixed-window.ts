// Fixed window: one counter per window. The degenerate case of the sliding window: up to twice the limit can pass
// around a window boundary. Memory: two numbers per key. Windows start at a key's first use.
// State: a = window start, b = count.
import type { Limiter } from './limiter.ts';

export const fixedWindow: Limiter = {
  used(state, spec, now) {
    if (state.fresh) {
      state.fresh = false;
      state.a = now;
      state.b = 0;
    } else if (now >= state.a + spec.windowMs) {
      state.a += Math.floor((now - state.a) / spec.windowMs) * spec.windowMs;
      state.b = 0;
    }
    return state.b;
  },
  consume(state, _spec, _now, amount) {
    state.b += amount;
  },
  resetMs(state, spec, now) {
    return state.b > 0 ? state.a + spec.windowMs - now : 0;
  },
  retryAfterMs(state, spec, now, excess) {
    return excess <= state.b ? state.a + spec.windowMs - now : Number.POSITIVE_INFINITY;
  },
  expiresAt(state, spec) {
    return state.a + spec.windowMs;
  },
};
