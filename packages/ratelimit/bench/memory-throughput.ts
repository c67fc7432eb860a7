// In-process decisions: gw's MemoryStore against rate-limiter-flexible's RateLimiterMemory on the same workloads.
import { type ComparisonResult, type Contender, compare } from '@gw/bench';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createCoarseClock } from '../src/coarse-clock.ts';
import { createMemoryStore, type MemoryStore } from '../src/memory-store.ts';
import { createRateLimiter } from '../src/rate-limiter.ts';
import type { DecideRequest } from '../src/types.ts';
import {
  cycler,
  distinctKeyNames,
  distinctSpecs,
  hotSpecs,
  oneRequest,
  requestWithTokens,
  threeLimitSpecs,
  unlimited,
} from './workloads.ts';

/**
 * Not a rate limiter: the lookup every string-keyed store makes, over the same 100,000 keys in a Map of that
 * size. What a decision on distinct keys costs cannot fall below it.
 */
export const lookupFloorName = 'floor: Map.get of the key alone';

function lookupFloor(): Contender {
  const map = new Map<string, number>();
  for (const [index, key] of distinctKeyNames.entries()) map.set(key, index);
  const next = cycler();
  // Summed into a variable the function keeps, so the optimiser cannot drop a lookup whose result goes unused.
  let sum = 0;
  return {
    name: lookupFloorName,
    fn: () => {
      sum += map.get(distinctSpecs[next()]![0]!.key)!;
      return sum;
    },
  };
}

/**
 * Not a rate limiter either: what any Promise-returning API costs before it decides anything, a resolved promise
 * awaited by the same loop that awaits the limiters' promises. gw's `check()` and rate-limiter-flexible's
 * `consume()` both pay it.
 */
export const promiseFloorName = 'floor: an awaited resolved promise';

function promiseFloor(): Contender {
  const value = { allowed: true };
  return { name: promiseFloorName, fn: () => Promise.resolve(value) };
}

/** The contenders deciding through the memory store's synchronous API, with each clock. */
export const syncNames = ['gw sync (store.decideNow)', 'gw sync, coarse clock'] as const;

function flexible(prefix: string): RateLimiterMemory {
  return new RateLimiterMemory({ points: unlimited, duration: 60, keyPrefix: prefix });
}

/**
 * The same decisions through `store.decideNow()`, without the Promise the async API returns: once on a store
 * reading `Date.now()` per decision, once on one reading `createCoarseClock()`. Each store is its own, so the
 * distinct-key workload finds all its keys held by the store it times; `requests` makes each its own sequence.
 */
function syncContenders(
  requests: () => () => DecideRequest,
  prefill?: (store: MemoryStore) => void,
): Contender[] {
  const clocks = [Date.now, createCoarseClock()];
  return syncNames.map((name, index) => {
    const store = createMemoryStore({ clock: clocks[index]! });
    const request = requests();
    const contender: Contender = { name, fn: () => store.decideNow(request()) };
    if (prefill !== undefined) contender.setup = () => prefill(store);
    return contender;
  });
}

export async function benchMemory(): Promise<ComparisonResult[]> {
  const gw = createRateLimiter({ store: createMemoryStore() });
  const hotRequest: DecideRequest = { specs: hotSpecs, requests: 1, tokens: 0 };
  const threeLimitRequest: DecideRequest = { specs: threeLimitSpecs, requests: 1, tokens: 100 };
  const rpm = flexible('rpm');
  const tpm = flexible('tpm');
  const teamTpm = flexible('team');
  const gwNext = cycler();
  const flexibleNext = cycler();
  const results: ComparisonResult[] = [];
  results.push(
    await compare({
      title: 'memory: single hot key (1 limit)',
      contenders: [
        { name: 'gw', fn: () => gw.check(hotSpecs, oneRequest) },
        ...syncContenders(() => () => hotRequest),
        promiseFloor(),
        { name: 'rate-limiter-flexible', fn: () => rpm.consume('hot', 1) },
      ],
    }),
  );
  results.push(
    await compare({
      title: 'memory: 100,000 distinct keys (1 limit)',
      contenders: [
        // All hold all 100,000 keys before timing starts, so the timed calls are decisions, not first inserts.
        {
          name: 'gw',
          fn: () => gw.check(distinctSpecs[gwNext()]!, oneRequest),
          setup: async () => {
            for (const specs of distinctSpecs) await gw.check(specs, oneRequest);
          },
        },
        ...syncContenders(
          () => {
            const next = cycler();
            return () => ({ specs: distinctSpecs[next()]!, requests: 1, tokens: 0 });
          },
          (store) => {
            for (const specs of distinctSpecs) store.decideNow({ specs, requests: 1, tokens: 0 });
          },
        ),
        lookupFloor(),
        {
          name: 'rate-limiter-flexible',
          fn: () => rpm.consume(distinctKeyNames[flexibleNext()]!, 1),
          setup: async () => {
            for (const key of distinctKeyNames) await rpm.consume(key, 1);
          },
        },
      ],
    }),
  );
  results.push(
    await compare({
      title: 'memory: three-limit check (key rpm + key tpm + team tpm)',
      contenders: [
        { name: 'gw', fn: () => gw.check(threeLimitSpecs, requestWithTokens) },
        ...syncContenders(() => () => threeLimitRequest),
        {
          name: 'rate-limiter-flexible',
          // Its own multi-limit option (RateLimiterUnion) is the same parallel consume, without rollback.
          fn: () =>
            Promise.all([rpm.consume('sk-1', 1), tpm.consume('sk-1', 100), teamTpm.consume('team-1', 100)]),
        },
      ],
    }),
  );
  return results;
}
