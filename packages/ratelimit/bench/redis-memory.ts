// Redis memory taken by 100,000 keys of one limit: gw's state hashes against rate-limiter-flexible's counters.
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { createRedisStore } from '../src/redis-store.ts';
import { deleteByPrefix } from '../test/support/delete-by-prefix.ts';
import { distinctKeyNames, distinctSpecs, oneRequest, unlimited } from './workloads.ts';

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** Runs `call` for every index, 512 at a time. */
async function fill(call: (index: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < distinctKeyNames.length; start += 512) {
    const batch = [];
    for (let index = start; index < Math.min(start + 512, distinctKeyNames.length); index++)
      batch.push(call(index));
    await Promise.all(batch);
  }
}

export async function redisMemoryPer100kKeys(): Promise<{ gw: number; flexible: number }> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, enableAutoPipelining: true });
  const prefix = `gw-bench-memory:${process.pid}:`;
  try {
    const store = createRedisStore({
      client: redis,
      prefix: `${prefix}gw:`,
      timeoutMs: 5_000,
      failurePolicy: 'fail-closed',
    });
    const gw = createRateLimiter({ store });
    let before = await usedMemory(redis);
    await fill((index) => gw.check(distinctSpecs[index]!, oneRequest));
    const gwBytes = (await usedMemory(redis)) - before;
    await store.close();
    await deleteByPrefix(redis, prefix);

    const flexible = new RateLimiterRedis({
      storeClient: redis,
      points: unlimited,
      duration: 60,
      keyPrefix: `${prefix}rlf`,
    });
    before = await usedMemory(redis);
    await fill((index) => flexible.consume(distinctKeyNames[index]!, 1));
    const flexibleBytes = (await usedMemory(redis)) - before;
    return { gw: gwBytes, flexible: flexibleBytes };
  } finally {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  }
}
