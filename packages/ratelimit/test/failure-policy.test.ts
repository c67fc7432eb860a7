import { once } from 'node:events';
import { GwError } from '@gw/errors';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { createRedisStore } from '../src/redis-store.ts';
import type { LimitSpec } from '../src/types.ts';
import { createOwnRedisServer, type OwnRedisServer } from './own-redis-server.ts';
import { limitSpec } from './support/limit-spec.ts';
import { manualTimers } from './support/manual-timers.ts';

let server: OwnRedisServer;

beforeAll(async () => {
  server = await createOwnRedisServer();
  await server.start();
});

afterAll(async () => {
  await server.stop();
});

function clientFor(port: number): Redis {
  // No offline queue: while the server is gone, commands fail at once instead of waiting for a reconnect.
  const client = new Redis({
    host: '127.0.0.1',
    port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 20,
    enableAutoPipelining: true,
  });
  // Reconnect errors are expected while the server is stopped; the store reports its own failures.
  client.on('error', () => {});
  return client;
}

async function ready(client: Redis): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

const rpm: LimitSpec = limitSpec('key:rpm', 'k', 'sliding-window', 3, 3_600_000);

describe('failure policy with Redis stopped mid-test', () => {
  it('fail-open admits and counts locally while Redis is down, then returns to Redis', async () => {
    const client = clientFor(server.port);
    await ready(client);
    const failures: Error[] = [];
    const store = createRedisStore({
      client,
      prefix: 'open:',
      failurePolicy: 'fail-open',
      retryIntervalMs: 0,
      onFailure: (error) => failures.push(error),
    });
    const limiter = createRateLimiter({ store });
    expect((await limiter.check([rpm], {})).results[0]!.remaining).toBe(2);

    await server.stop();
    const during = [];
    for (let index = 0; index < 5; index++) during.push((await limiter.check([rpm], {})).allowed);
    // The local MemoryStore starts empty, so it admits the full limit, then denies.
    expect(during).toEqual([true, true, true, false, false]);
    expect(failures.length).toBe(5);
    const stats = store.stats();
    expect(stats.failures).toBe(5);
    expect(stats.failOpenDecisions).toBe(5);
    expect(stats.failClosedRejections).toBe(0);

    await server.start();
    await ready(client);
    // The restarted server is empty (no persistence), so Redis' own count starts over.
    expect((await limiter.check([rpm], {})).results[0]!.remaining).toBe(2);
    expect(store.stats().failOpenDecisions).toBe(5);
    await store.close();
    client.disconnect();
  });

  it('fail-open drops its local counts once Redis answers, so a later outage starts afresh', async () => {
    const client = clientFor(server.port);
    await ready(client);
    const store = createRedisStore({
      client,
      prefix: 'again:',
      failurePolicy: 'fail-open',
      retryIntervalMs: 0,
      onFailure: () => {},
    });
    const limiter = createRateLimiter({ store });
    await server.stop();
    const first = [];
    for (let index = 0; index < 4; index++) first.push((await limiter.check([rpm], {})).allowed);
    expect(first).toEqual([true, true, true, false]);

    await server.start();
    await ready(client);
    expect((await limiter.check([rpm], {})).results[0]!.remaining).toBe(2);

    await server.stop();
    expect((await limiter.check([rpm], {})).results[0]!.remaining).toBe(2);
    expect(store.stats().failOpenDecisions).toBe(5);
    await server.start();
    await store.close();
    client.disconnect();
  });

  it('fail-closed rejects with GW_ERR_STORE_UNAVAILABLE while Redis is down', async () => {
    const client = clientFor(server.port);
    await ready(client);
    const failures: Error[] = [];
    const store = createRedisStore({
      client,
      prefix: 'closed:',
      failurePolicy: 'fail-closed',
      onFailure: (error) => failures.push(error),
    });
    const limiter = createRateLimiter({ store });
    expect((await limiter.check([rpm], {})).allowed).toBe(true);

    await server.stop();
    const error = await limiter.check([rpm], {}).catch((caught: unknown) => caught);
    expect(GwError.hasCode(error, 'GW_ERR_STORE_UNAVAILABLE')).toBe(true);
    expect((error as GwError).status).toBe(503);
    expect((error as GwError).isRetryable).toBe(true);
    expect((error as GwError).message).toMatch(/fail-closed/);
    expect(failures.length).toBe(1);
    // Within the retry interval Redis is not tried again, but the call is still rejected and counted.
    await expect(limiter.check([rpm], {})).rejects.toThrow(/unavailable/);
    expect(store.stats().failClosedRejections).toBe(2);
    expect(store.stats().failures).toBe(1);

    await server.start();
    await store.close();
    client.disconnect();
  });

  it('emits a process warning for a failure when no onFailure is given', async () => {
    await server.stop();
    const client = clientFor(server.port);
    const store = createRedisStore({ client, prefix: 'warn:', failurePolicy: 'fail-open' });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    expect((await createRateLimiter({ store }).check([rpm], {})).allowed).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings.map((warning) => (warning as Error & { code?: string }).code)).toEqual([
      'GW_RATELIMIT_STORE_FAILURE',
    ]);
    await store.close();
    client.disconnect();
    await server.start();
  });

  it('times out a call to a Redis that stopped answering, and applies the policy', async () => {
    const client = clientFor(server.port);
    await ready(client);
    const timers = manualTimers();
    const failures: Error[] = [];
    const store = createRedisStore({
      client,
      prefix: 'slow:',
      timeoutMs: 200,
      timers,
      failurePolicy: 'fail-open',
      onFailure: (error) => failures.push(error),
    });
    const limiter = createRateLimiter({ store });
    await client.del('slow:{gw}:v2:7:key:rpm:k:s');
    server.pause();
    const pending = limiter.check([rpm], {});
    // Concurrent decisions are batched per event-loop turn; let this one be sent before time moves.
    await new Promise((resolve) => setImmediate(resolve));
    for (let tick = 0; tick < 4; tick++) timers.tick();
    const decision = await pending;
    expect(decision.allowed).toBe(true);
    expect(failures[0]?.message).toMatch(/did not answer within 200ms/);
    expect(store.stats().timeouts).toBe(1);
    expect(store.stats().failOpenDecisions).toBe(1);
    server.resume();
    await store.close();
    client.disconnect();
  });
});
