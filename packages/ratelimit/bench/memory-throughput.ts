// In-process decisions: gw's MemoryStore against rate-limiter-flexible's RateLimiterMemory on the same workloads.
import { type ComparisonResult, compare } from '@gw/bench';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createMemoryStore } from '../src/memory-store.ts';
import { createRateLimiter } from '../src/rate-limiter.ts';
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

function flexible(prefix: string): RateLimiterMemory {
  return new RateLimiterMemory({ points: unlimited, duration: 60, keyPrefix: prefix });
}

export async function benchMemory(): Promise<ComparisonResult[]> {
  const store = createMemoryStore();
  const gw = createRateLimiter({ store });
  // The same decision without the Promise the async API requires, to show what that costs.
  const hotRequest = { specs: hotSpecs, requests: 1, tokens: 0 };
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
        { name: 'gw sync (store.decideNow)', fn: () => store.decideNow(hotRequest) },
        { name: 'rate-limiter-flexible', fn: () => rpm.consume('hot', 1) },
      ],
    }),
  );
  results.push(
    await compare({
      title: 'memory: 100,000 distinct keys (1 limit)',
      contenders: [
        // Both hold all 100,000 keys before timing starts, so the timed calls are decisions, not first inserts.
        {
          name: 'gw',
          fn: () => gw.check(distinctSpecs[gwNext()]!, oneRequest),
          setup: async () => {
            for (const specs of distinctSpecs) await gw.check(specs, oneRequest);
          },
        },
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
