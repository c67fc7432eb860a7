// Token bucket: `limit` tokens of capacity refilled continuously at limit/windowMs; allows bursts up to the
// capacity. Exact for its model. Memory: two numbers per key.
// State: a = tokens in the bucket (negative when committed actuals overdrew it), b = time of the last refill.
import type { Limiter } from './limiter.ts';

export const tokenBucket: Limiter = {
  used(state, spec, now) {
    if (state.fresh) {
      state.fresh = false;
      state.a = spec.limit;
      state.b = now;
    } else if (now > state.b) {
      state.a = Math.min(spec.limit, state.a + ((now - state.b) * spec.limit) / spec.windowMs);
      state.b = now;
    }
    return spec.limit - state.a;
  },
  consume(state, _spec, _now, amount) {
    state.a -= amount;
  },
  resetMs(state, spec) {
    return ((spec.limit - state.a) * spec.windowMs) / spec.limit;
  },
  retryAfterMs(_state, spec, _now, excess) {
    return (excess * spec.windowMs) / spec.limit;
  },
  expiresAt(state, spec) {
    return state.b + ((spec.limit - state.a) * spec.windowMs) / spec.limit;
  },
};
