// The per-(limit, subject) state a MemoryStore keeps: one shape for every algorithm, so property access stays monomorphic.
import type { Algorithm } from '../types.ts';

export interface Hold {
  amount: number;
  expiresAt: number;
}

/** Holds of one state, allocated on its first hold: most states never have any. */
export class HoldSet {
  readonly entries = new Map<string, Hold>();
  /** The earliest expiry among the entries; sweeping waits for it. */
  nextExpiry = Number.POSITIVE_INFINITY;
}

export class LimitState {
  algorithm: Algorithm;
  /** True until an algorithm initialises the fields below at its first use. */
  fresh = true;
  // Algorithm fields; each algorithm documents what they mean for it.
  a = 0;
  b = 0;
  c = 0;
  /** Sliding log only: flat [timestamp, amount, ...] pairs from `logHead` on. */
  log: number[] | undefined = undefined;
  logHead = 0;
  /** Sum of unexpired holds (pending token reservations and concurrency leases). */
  held = 0;
  holds: HoldSet | undefined = undefined;
  /** When the state becomes equivalent to a fresh one and may be dropped. */
  expiresAt = 0;
  /**
   * Second-chance bit for eviction: set on reuse, cleared when the eviction hand passes. New states start
   * without it, so a flood of one-off keys evicts itself rather than the keys in steady use.
   */
  referenced = false;

  constructor(algorithm: Algorithm) {
    this.algorithm = algorithm;
  }

  reset(algorithm: Algorithm): void {
    this.algorithm = algorithm;
    this.fresh = true;
    this.a = 0;
    this.b = 0;
    this.c = 0;
    this.log = undefined;
    this.logHead = 0;
  }
}
