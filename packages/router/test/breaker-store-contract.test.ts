import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type BreakerStore, createMemoryBreakerStore, createRedisBreakerStore } from '../src/index.ts';

const clients: Redis[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  const cleaner = new Redis({ host: '127.0.0.1', port: 6379 });
  for (const prefix of prefixes) await cleaner.del(`${prefix}:breakers`);
  await cleaner.quit();
  await Promise.all(clients.map((client) => client.quit()));
});

function redisStore(): BreakerStore {
  const client = new Redis({ host: '127.0.0.1', port: 6379 });
  clients.push(client);
  const prefix = `gw-test:router:${randomUUID()}`;
  prefixes.push(prefix);
  return createRedisBreakerStore({ client, prefix, syncIntervalMs: 50 });
}

const implementations: [string, () => BreakerStore][] = [
  ['memory', createMemoryBreakerStore],
  ['redis', redisStore],
];

describe.each(implementations)('BreakerStore contract: %s', (_name, create) => {
  it('reads back an opened trip at once', async () => {
    const store = create();
    expect(store.read('x')).toBeUndefined();
    store.open('x', { until: 5_000, reason: 'rate_limit' });
    expect(store.read('x')).toEqual({ until: 5_000, reason: 'rate_limit' });
    await store.close();
  });

  it('forgets a cleared trip and keeps the others', async () => {
    const store = create();
    store.open('x', { until: 5_000, reason: 'auth' });
    store.open('y', { until: 6_000, reason: 'upstream_5xx' });
    store.clear('x');
    expect(store.read('x')).toBeUndefined();
    expect(store.read('y')).toEqual({ until: 6_000, reason: 'upstream_5xx' });
    await store.close();
  });

  it('replaces a trip when it opens again', async () => {
    const store = create();
    store.open('x', { until: 5_000, reason: 'auth' });
    store.open('x', { until: 9_000, reason: 'timeout' });
    expect(store.read('x')).toEqual({ until: 9_000, reason: 'timeout' });
    await store.close();
  });

  it('does not share state with the caller-owned trip object', async () => {
    const store = create();
    const trip = { until: 5_000, reason: 'auth' as const };
    store.open('x', trip);
    trip.until = 1;
    expect(store.read('x')?.until).toBe(5_000);
    await store.close();
  });
});

describe('Redis breaker store', () => {
  it('keeps local writes over a snapshot taken before them, and survives a sync', async () => {
    const client = new Redis({ host: '127.0.0.1', port: 6379 });
    clients.push(client);
    const prefix = `gw-test:router:${randomUUID()}`;
    prefixes.push(prefix);
    const store = createRedisBreakerStore({ client, prefix, syncIntervalMs: 60_000 });
    const syncing = store.sync();
    store.open('x', { until: 7_000, reason: 'rate_limit' });
    await syncing;
    expect(store.read('x')).toEqual({ until: 7_000, reason: 'rate_limit' });
    await store.sync();
    expect(store.read('x')).toEqual({ until: 7_000, reason: 'rate_limit' });
    expect(await client.hget(`${prefix}:breakers`, 'x')).toBe('7000|rate_limit');
    await store.close();
  });

  it('ignores malformed entries written by something else', async () => {
    const client = new Redis({ host: '127.0.0.1', port: 6379 });
    clients.push(client);
    const prefix = `gw-test:router:${randomUUID()}`;
    prefixes.push(prefix);
    await client.hset(`${prefix}:breakers`, 'bad', 'garbage', 'worse', '12|not_a_class', 'good', '42|auth');
    const store = createRedisBreakerStore({ client, prefix, syncIntervalMs: 60_000 });
    await store.sync();
    expect(store.read('bad')).toBeUndefined();
    expect(store.read('worse')).toBeUndefined();
    expect(store.read('good')).toEqual({ until: 42, reason: 'auth' });
    await store.close();
  });

  it('reports Redis failures instead of throwing into the routing path', async () => {
    const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, enableOfflineQueue: false });
    const errors: unknown[] = [];
    client.on('error', () => {});
    const store = createRedisBreakerStore({
      client,
      prefix: 'gw-test:unused',
      onError: (error) => errors.push(error),
    });
    store.open('x', { until: 1, reason: 'auth' });
    await store.sync();
    expect(store.read('x')).toEqual({ until: 1, reason: 'auth' });
    await store.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.length).toBeGreaterThan(0);
    client.disconnect();
  });
});
