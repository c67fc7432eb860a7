// GCRA (generic cell rate algorithm): the token bucket's behaviour stored as a single number, the theoretical
// arrival time. Burst tolerance is the whole window, so it admits `limit` at once and then limit/windowMs.
// Exact for its model. Memory: one number per key.
// State: a = theoretical arrival time (TAT).
import type { Limiter } from './limiter.ts';

export const gcra: Limiter = {
  used(state, spec, now) {
    if (state.fresh) {
      state.fresh = false;
      state.a = now;
    }
    return state.a > now ? ((state.a - now) * spec.limit) / spec.windowMs : 0;
  },
  consume(state, spec, now, amount) {
    state.a = Math.max(state.a, now) + (amount * spec.windowMs) / spec.limit;
  },
  resetMs(state, _spec, now) {
    return Math.max(0, state.a - now);
  },
  retryAfterMs(_state, spec, _now, excess) {
    return (excess * spec.windowMs) / spec.limit;
  },
  expiresAt(state) {
    return state.a;
  },
};
