// Opens the ioredis client the config's `redis_*` settings describe, tuned for limiter decisions.
import type { RedisSettings } from '@gw/core';
import type { Redis } from 'ioredis';

/** Loads ioredis only here: a proxy without `redis_*` settings never holds the client's modules in memory. */
export async function connectRedis(settings: RedisSettings): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const options = {
    // Concurrent limiter decisions share one round trip.
    enableAutoPipelining: true,
    // A down Redis must not queue requests forever: the limiter's failure policy decides instead.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
    connectTimeout: 2_000,
    ...(settings.password ? { password: settings.password.reveal() } : {}),
  };
  const client = settings.url
    ? new Redis(settings.url, options)
    : new Redis({ host: settings.host ?? '127.0.0.1', port: settings.port ?? 6379, ...options });
  // Errors surface through the limiter's failure policy and the readiness endpoint, not as crashes.
  client.on('error', () => {});
  await client.connect().catch(() => {});
  return client;
}
