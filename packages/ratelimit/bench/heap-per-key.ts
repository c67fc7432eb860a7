// Heap used by 100,000 keys of one limit, for gw's MemoryStore and rate-limiter-flexible's RateLimiterMemory.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createMemoryStore } from '../src/memory-store.ts';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { distinctKeyNames, distinctSpecs, oneRequest, unlimited } from './workloads.ts';

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the bench with node --expose-gc (pnpm bench does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measure(fill: () => Promise<unknown>): Promise<number> {
  const before = collect();
  const retained = await fill();
  const after = collect();
  // Keep the store reachable until after the measurement.
  if (retained === undefined) throw new Error('nothing retained');
  return after - before;
}

export async function heapPer100kKeys(): Promise<{ gw: number; flexible: number }> {
  const gw = await measure(async () => {
    const store = createMemoryStore();
    const limiter = createRateLimiter({ store });
    for (const specs of distinctSpecs) await limiter.check(specs, oneRequest);
    return store;
  });
  const flexible = await measure(async () => {
    const limiter = new RateLimiterMemory({ points: unlimited, duration: 60 });
    for (const key of distinctKeyNames) await limiter.consume(key, 1);
    return limiter;
  });
  return { gw, flexible };
}
