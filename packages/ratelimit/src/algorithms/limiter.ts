// The one interface every rate-limiting algorithm implements for the MemoryStore (the Lua script mirrors it).
import type { LimitSpec } from '../types.ts';
import type { LimitState } from './limit-state.ts';

export interface Limiter {
  /** Amount used at `now`, after bringing the state up to date (rolling windows, refilling). */
  used(state: LimitState, spec: LimitSpec, now: number): number;
  /** Records `amount` as used at `now`; may push usage past the limit (committed actuals do). */
  consume(state: LimitState, spec: LimitSpec, now: number, amount: number): void;
  /** Milliseconds until the state is fully replenished. */
  resetMs(state: LimitState, spec: LimitSpec, now: number): number;
  /** Milliseconds until usage has fallen by `excess`, or Infinity if waiting alone never frees that much. */
  retryAfterMs(state: LimitState, spec: LimitSpec, now: number, excess: number): number;
  /** The time at which the state (holds aside) is equivalent to a fresh one. */
  expiresAt(state: LimitState, spec: LimitSpec): number;
}
