// Test plumbing for the real Redis at 127.0.0.1:6379: unique key prefixes and cleanup.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { createRedisStore, type RedisStoreOptions } from '../src/redis-store.ts';
import type { Store } from '../src/types.ts';
import { deleteByPrefix } from './support/delete-by-prefix.ts';

export const redisUrl = 'redis://127.0.0.1:6379';

export function uniquePrefix(): string {
  return `gw-test:rl:${randomUUID().slice(0, 8)}:`;
}

export const deleteKeys = deleteByPrefix;

/** Every key under `prefix`, however large the rest of the keyspace (one SCAN page may hold none of them). */
export async function keysWithPrefix(client: Redis, prefix: string): Promise<string[]> {
  let cursor = '0';
  const found: string[] = [];
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

export async function countKeys(client: Redis, prefix: string): Promise<number> {
  return (await keysWithPrefix(client, prefix)).length;
}

export function connect(options: { port?: number } = {}): Redis {
  return new Redis({
    host: '127.0.0.1',
    port: options.port ?? 6379,
    enableAutoPipelining: true,
    lazyConnect: false,
  });
}

/**
 * The Redis call deadline for tests about counting, not about timeouts: a loaded CI machine (a cluster's first
 * call also discovers slots and loads the script) must not turn a slow reply into a fail-closed rejection.
 */
export const countingTimeoutMs = 10_000;

/** A fail-closed RedisStore on a fresh prefix, closed and its keys deleted when the test ends, pass or fail. */
export function openRedisStore(
  client: Redis,
  options: Partial<Omit<RedisStoreOptions, 'client' | 'prefix'>> = {},
): { prefix: string; store: Store } {
  const prefix = uniquePrefix();
  const store = createRedisStore({
    client,
    prefix,
    failurePolicy: 'fail-closed',
    timeoutMs: countingTimeoutMs,
    ...options,
  });
  onTestFinished(async () => {
    await store.close();
    await deleteKeys(client, prefix);
  });
  return { prefix, store };
}
