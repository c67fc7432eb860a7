// The in-process Store: exact limits for one process, no timer per key, expired state swept lazily, bounded size.
import { concurrencyRetryHintMs } from './algorithms/concurrency.ts';
import { HoldSet, LimitState } from './algorithms/limit-state.ts';
import { limiters } from './algorithms/limiters.ts';
import { costOf, fits, isHeld, minimumExcess, remainingOf, roundRetry } from './decision-math.ts';
import { limitResultOf } from './limit-result.ts';
import type {
  DecideRequest,
  Decision,
  LimitResult,
  LimitSpec,
  SettleRequest,
  Store,
  StoreStats,
} from './types.ts';

export interface MemoryStoreOptions {
  /** Most (limit, subject) states kept; beyond it the least recently used are evicted. Default 1,000,000. */
  maxKeys?: number;
  /**
   * Milliseconds since the epoch. Default `Date.now`; `createCoarseClock()` trades up to a millisecond (plus
   * event-loop delay) of lag for not reading the system clock per decision. Inject for deterministic tests.
   */
  clock?: () => number;
}

/** The synchronous core, used directly by the Redis store's fail-open fallback. */
export interface MemoryStore extends Store {
  decideNow(request: DecideRequest): Decision;
  settleNow(request: SettleRequest): void;
}

/** Expired entries checked at the oldest end of the map per new key, so sweeping outpaces insertion. */
const sweepPerInsert = 2;

export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxKeys = options.maxKeys ?? 1_000_000;
  const clock = options.clock ?? Date.now;
  // Limit name -> subject key -> state. Two lookups on the caller's own strings beat hashing a concatenated id
  // on every call.
  const states = new Map<string, Map<string, LimitState>>();
  let size = 0;
  // Scratch space reused by every decision (decisions are synchronous, so they never interleave).
  const used: number[] = [];
  const touched: LimitState[] = [];
  const counters = { decisions: 0, denied: 0, settlements: 0, evictions: 0 };
  let leaseSequence = 0;

  function isExpired(state: LimitState, now: number): boolean {
    return now >= state.expiresAt && state.held === 0;
  }

  function sweepOldest(byKey: Map<string, LimitState>, now: number): void {
    for (let index = 0; index < sweepPerInsert; index++) {
      const first = byKey.entries().next();
      if (first.done === true) return;
      const [key, state] = first.value;
      sweepHolds(state, now);
      if (!isExpired(state, now)) return;
      byKey.delete(key);
      size--;
    }
  }

  function evictOne(preferred: Map<string, LimitState>, now: number): void {
    let byKey = preferred;
    if (byKey.size === 0) {
      for (const other of states.values()) {
        if (other.size > 0) {
          byKey = other;
          break;
        }
      }
    }
    // Second chance: entries used since the hand last passed go to the back instead of out. So do entries holding
    // leases or reservations: forgetting work in flight would let it exceed its limit. Two turns of the hand clear
    // every reference bit; if then only holders are left, one of them goes after all.
    const twoTurns = 2 * byKey.size;
    for (let step = 0; ; step++) {
      const first = byKey.entries().next();
      if (first.done === true) return;
      const [key, state] = first.value;
      byKey.delete(key);
      if (state.held > 0) sweepHolds(state, now);
      if (!state.referenced && (state.held === 0 || step >= twoTurns)) {
        size--;
        counters.evictions++;
        return;
      }
      state.referenced = false;
      byKey.set(key, state);
    }
  }

  function stateOf(spec: LimitSpec, now: number): LimitState {
    let byKey = states.get(spec.name);
    if (byKey === undefined) {
      byKey = new Map();
      states.set(spec.name, byKey);
    }
    let state = byKey.get(spec.key);
    if (state === undefined) {
      sweepOldest(byKey, now);
      if (size >= maxKeys) evictOne(byKey, now);
      state = new LimitState(spec.algorithm);
      // Not sweepable during this decision; a decision that writes nothing leaves it expired a moment later.
      state.expiresAt = now + 1;
      byKey.set(spec.key, state);
      size++;
      return state;
    }
    state.referenced = true;
    if (state.held > 0) sweepHolds(state, now);
    if (state.algorithm !== spec.algorithm) state.reset(spec.algorithm);
    else if (!state.fresh && isExpired(state, now)) state.reset(spec.algorithm);
    return state;
  }

  function sweepHolds(state: LimitState, now: number): void {
    const holds = state.holds;
    if (holds === undefined || now < holds.nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [id, hold] of holds.entries) {
      if (hold.expiresAt <= now) {
        state.held -= hold.amount;
        holds.entries.delete(id);
      } else if (hold.expiresAt < next) {
        next = hold.expiresAt;
      }
    }
    if (holds.entries.size === 0) state.held = 0;
    holds.nextExpiry = next;
  }

  function addHold(state: LimitState, id: string, amount: number, expiresAt: number): void {
    if (amount <= 0) return;
    state.holds ??= new HoldSet();
    state.holds.entries.set(id, { amount, expiresAt });
    state.held += amount;
    if (expiresAt < state.holds.nextExpiry) state.holds.nextExpiry = expiresAt;
    if (expiresAt > state.expiresAt) state.expiresAt = expiresAt;
  }

  /** Settling leaves `nextExpiry` early (sweeping only needs a bound), so a retry hint looks at the holds left. */
  function earliestHoldExpiry(holds: HoldSet): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const hold of holds.entries.values()) if (hold.expiresAt < earliest) earliest = hold.expiresAt;
    holds.nextExpiry = earliest;
    return earliest;
  }

  function retryAfterOf(state: LimitState, spec: LimitSpec, now: number, excess: number): number {
    // A zero-cost pre-check denied at exactly the limit needs usage to drop by any amount at all.
    excess = Math.max(excess, minimumExcess);
    const waited = limiters[spec.algorithm].retryAfterMs(state, spec, now, excess);
    if (Number.isFinite(waited)) return roundRetry(waited);
    // Only holds can free the rest: they end on completion, or at their expiry at the latest.
    if (state.held > 0)
      return roundRetry(Math.min(concurrencyRetryHintMs, earliestHoldExpiry(state.holds!) - now));
    return roundRetry(Math.max(limiters[spec.algorithm].resetMs(state, spec, now), spec.windowMs));
  }

  /** Held tokens become usage when committed, so the limit is not whole again for a window at least. */
  function resetOf(state: LimitState, spec: LimitSpec, now: number): number {
    const reset = limiters[spec.algorithm].resetMs(state, spec, now);
    if (state.held > 0 && spec.algorithm !== 'concurrency' && reset < spec.windowMs) return spec.windowMs;
    return reset;
  }

  function result(spec: LimitSpec, remaining: number, resetMs: number, allowed: boolean): LimitResult {
    return limitResultOf(spec, remaining, Math.ceil(resetMs), allowed);
  }

  function decideNow(request: DecideRequest): Decision {
    const now = clock();
    const specs = request.specs;
    const count = specs.length;
    let failedIndex = -1;
    let retryAfterMs = 0;
    counters.decisions++;
    for (let index = 0; index < count; index++) {
      const spec = specs[index]!;
      const state = stateOf(spec, now);
      const current = limiters[spec.algorithm].used(state, spec, now) + state.held;
      used[index] = current;
      touched[index] = state;
      const cost = costOf(spec, request);
      if (!fits(current, cost, spec.limit)) {
        if (failedIndex < 0) failedIndex = index;
        // The call fits only once every limit it exceeds has room, so the hint waits for the slowest.
        const wait = retryAfterOf(state, spec, now, current + cost - spec.limit);
        if (wait > retryAfterMs) retryAfterMs = wait;
      }
    }
    const results: LimitResult[] = new Array(count);
    if (failedIndex >= 0) {
      counters.denied++;
      for (let index = 0; index < count; index++) {
        const spec = specs[index]!;
        const state = touched[index]!;
        // Bringing the state up to date may have started its window: keep it, as the Redis store does.
        const expiresAt = limiters[spec.algorithm].expiresAt(state, spec);
        if (expiresAt > state.expiresAt) state.expiresAt = expiresAt;
        const resetMs = resetOf(state, spec, now);
        const allowed = fits(used[index]!, costOf(spec, request), spec.limit);
        results[index] = result(spec, remainingOf(spec.limit, used[index]!), resetMs, allowed);
      }
      return { allowed: false, results, failed: results[failedIndex]!, retryAfterMs };
    }
    const reservation = request.reservation;
    for (let index = 0; index < count; index++) {
      const spec = specs[index]!;
      const state = touched[index]!;
      const limiter = limiters[spec.algorithm];
      const cost = costOf(spec, request);
      if (isHeld(spec, request)) {
        const id = reservation?.id ?? `lease-${++leaseSequence}`;
        addHold(state, id, cost, now + (reservation?.ttlMs ?? spec.windowMs));
      } else {
        limiter.consume(state, spec, now, cost);
      }
      const expiresAt = limiter.expiresAt(state, spec);
      if (expiresAt > state.expiresAt) state.expiresAt = expiresAt;
      results[index] = result(
        spec,
        remainingOf(spec.limit, used[index]! + cost),
        resetOf(state, spec, now),
        true,
      );
    }
    return { allowed: true, results, retryAfterMs: 0 };
  }

  function settleNow(request: SettleRequest): void {
    const now = clock();
    counters.settlements++;
    for (const spec of request.specs) {
      const holdable = spec.algorithm === 'concurrency' || spec.unit === 'tokens';
      const consumes =
        request.actualTokens !== undefined && spec.unit === 'tokens' && spec.algorithm !== 'concurrency';
      if (!holdable) continue;
      const existing = states.get(spec.name)?.get(spec.key);
      const hold = existing?.holds?.entries.get(request.reservationId);
      if (existing !== undefined && hold !== undefined) {
        existing.holds!.entries.delete(request.reservationId);
        existing.held -= hold.amount;
        if (existing.holds!.entries.size === 0) existing.held = 0;
      }
      if (!consumes || request.actualTokens! <= 0) continue;
      const state = stateOf(spec, now);
      const limiter = limiters[spec.algorithm];
      limiter.used(state, spec, now);
      limiter.consume(state, spec, now, request.actualTokens!);
      const expiresAt = limiter.expiresAt(state, spec);
      if (expiresAt > state.expiresAt) state.expiresAt = expiresAt;
    }
  }

  function stats(): StoreStats {
    return {
      ...counters,
      keys: size,
      failures: 0,
      timeouts: 0,
      failOpenDecisions: 0,
      failClosedRejections: 0,
      scriptLoads: 0,
    };
  }

  return {
    decideNow,
    settleNow,
    decide: (request) => {
      try {
        return Promise.resolve(decideNow(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    settle: (request) => {
      try {
        settleNow(request);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    stats,
    close: () => {
      states.clear();
      size = 0;
      return Promise.resolve();
    },
  };
}
