// Concurrency: at most `limit` in flight. All usage is held as leases (released on completion or expired after
// their TTL if the holder died), so the algorithm itself keeps no counters. Exact. Memory: one entry per lease.
import type { Limiter } from './limiter.ts';

/** Leases rarely live their full TTL, so a denied caller is told to retry soon rather than at the last expiry. */
export const concurrencyRetryHintMs = 1_000;

export const concurrency: Limiter = {
  used(state) {
    state.fresh = false;
    return 0;
  },
  consume() {
    // Leases are holds; the store records them.
  },
  resetMs() {
    return 0;
  },
  retryAfterMs() {
    return Number.POSITIVE_INFINITY;
  },
  expiresAt() {
    return 0;
  },
};
