// Sliding-window counter: the previous window's count weighted by how much of it still overlaps, plus the current one.
// Accuracy: exact when the previous window's traffic was uniform; a burst at the very end of the previous window
// is under-weighted later in the current window (worst case about 1.5x the limit over some W-long span, never at
// the boundary itself). Memory: three numbers per key. Windows start at a key's first use, not on the clock's
// minute marks, so keys do not all roll over together.
// State: a = current window start, b = current window count, c = previous window count.
import type { Limiter } from './limiter.ts';

export const slidingWindow: Limiter = {
  used(state, spec, now) {
    const windowMs = spec.windowMs;
    if (state.fresh) {
      state.fresh = false;
      state.a = now;
      state.b = 0;
      state.c = 0;
    } else if (now >= state.a + windowMs) {
      const elapsedWindows = Math.floor((now - state.a) / windowMs);
      state.c = elapsedWindows === 1 ? state.b : 0;
      state.b = 0;
      state.a += elapsedWindows * windowMs;
    }
    if (state.c === 0) return state.b;
    return state.c * (1 - (now - state.a) / windowMs) + state.b;
  },
  consume(state, _spec, _now, amount) {
    state.b += amount;
  },
  resetMs(state, spec, now) {
    if (state.b > 0) return state.a + 2 * spec.windowMs - now;
    if (state.c > 0) return state.a + spec.windowMs - now;
    return 0;
  },
  retryAfterMs(state, spec, now, excess) {
    const windowMs = spec.windowMs;
    const previousLeft = state.c * (1 - (now - state.a) / windowMs);
    // The weighted previous count drains linearly until the current window ends.
    if (excess <= previousLeft) return (excess * windowMs) / state.c;
    const stillExcess = excess - previousLeft;
    if (stillExcess > state.b) return Number.POSITIVE_INFINITY;
    return state.a + windowMs - now + (stillExcess * windowMs) / state.b;
  },
  expiresAt(state, spec) {
    return state.a + 2 * spec.windowMs;
  },
};
