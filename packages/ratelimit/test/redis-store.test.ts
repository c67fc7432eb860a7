import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { createRedisStore } from '../src/redis-store.ts';
import type { Decision, LimitSpec } from '../src/types.ts';
import {
  connect,
  countingTimeoutMs,
  countKeys,
  deleteKeys,
  keysWithPrefix,
  openRedisStore,
  uniquePrefix,
} from './redis-helpers.ts';
import { describeStoreContract } from './store-contract.ts';
import { limitSpec } from './support/limit-spec.ts';

const client = connect();

afterAll(async () => {
  await client.quit();
});

describeStoreContract('RedisStore', async (clock) => {
  const prefix = uniquePrefix();
  const store = createRedisStore({
    client,
    prefix,
    clock: () => clock.now,
    failurePolicy: 'fail-closed',
    timeoutMs: countingTimeoutMs,
  });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await deleteKeys(client, prefix);
    },
  };
});

/** A store on a client that records the arguments of every script call it sends. */
function recordingStore(client: Redis) {
  const calls: (string | number)[][] = [];
  const recording = {
    evalsha: (sha: string, count: number, keys: string[], args: (string | number)[]) => {
      calls.push(args);
      return client.evalsha(sha, count, ...keys, ...args);
    },
    eval: (source: string, count: number, keys: string[], args: (string | number)[]) => {
      calls.push(args);
      return client.eval(source, count, ...keys, ...args);
    },
  };
  const prefix = uniquePrefix();
  const store = createRedisStore({ client: recording as unknown as Redis, prefix });
  return { calls, prefix, store, limiter: createRateLimiter({ store }) };
}

describe('RedisStore on server time', () => {
  it('gives every key it writes a TTL', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store, reservationTtlMs: 60_000 });
    const specs: LimitSpec[] = [
      { name: 'rpm', key: 'k', algorithm: 'sliding-window', limit: 10, windowMs: 60_000, unit: 'requests' },
      { name: 'log', key: 'k', algorithm: 'sliding-log', limit: 10, windowMs: 60_000, unit: 'requests' },
      { name: 'tpm', key: 'k', algorithm: 'gcra', limit: 1_000, windowMs: 60_000, unit: 'tokens' },
      { name: 'par', key: 'k', algorithm: 'concurrency', limit: 2, windowMs: 60_000, unit: 'requests' },
    ];
    expect((await limiter.reserve(specs, { requests: 1, tokens: 100 })).decision.allowed).toBe(true);
    // State hashes for all four, the log of sliding-log, the holds of the reserved tpm and the lease.
    expect(await countKeys(client, prefix)).toBe(7);
    for (const key of await keysWithPrefix(client, prefix)) expect(await client.pttl(key)).toBeGreaterThan(0);
  });

  it('reservations not committed are released after their TTL (server time)', async () => {
    const { store } = openRedisStore(client);
    const limiter = createRateLimiter({ store, reservationTtlMs: 200 });
    const tpm: LimitSpec = limitSpec('tpm', 'k', 'sliding-window', 1_000, 3_600_000, 'tokens');
    const inFlight: LimitSpec = limitSpec('par', 'k', 'concurrency', 1, 3_600_000);
    expect((await limiter.reserve([tpm, inFlight], { tokens: 900 })).decision.allowed).toBe(true);
    const denied = await limiter.reserve([tpm, inFlight], { tokens: 900 });
    expect(denied.decision.allowed).toBe(false);
    // Poll until the holder's TTL passes on the server's clock; no duration is asserted.
    let decision = denied.decision;
    while (!decision.allowed) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      decision = (await limiter.reserve([tpm, inFlight], { tokens: 900 })).decision;
    }
    expect(decision.results.map((result) => result.remaining)).toEqual([100, 0]);
    expect(store.stats().failures).toBe(0);
  });

  it('recovers when Redis forgot the script (NOSCRIPT falls back to EVAL once)', async () => {
    const { store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const rpm: LimitSpec = limitSpec('rpm', 'k', 'gcra', 5, 60_000);
    await limiter.check([rpm], {});
    await client.script('FLUSH');
    expect((await limiter.check([rpm], {})).results[0]!.remaining).toBe(3);
    expect((await limiter.check([rpm], {})).results[0]!.remaining).toBe(2);
    expect(store.stats().scriptLoads).toBeGreaterThanOrEqual(1);
    expect(store.stats().failures).toBe(0);
  });

  it('batches decisions issued together, each still atomic: 300 concurrent checks admit exactly the limit', async () => {
    const { store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const team: LimitSpec = limitSpec('team:tpm', 't', 'gcra', 5_000, 3_600_000, 'tokens');
    const decisions = await Promise.all(
      Array.from({ length: 300 }, (_, index) => {
        const key: LimitSpec = limitSpec('key:rpm', `k${index % 7}`, 'sliding-window', 30, 3_600_000);
        return limiter.check([key, team], { requests: 1, tokens: 20 });
      }),
    );
    // 7 keys x 30 requests = 210 fit the key limits, and 210 x 20 tokens fit the team's 5,000.
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(210);
    const lastTeamRemaining = decisions.filter((decision) => decision.allowed).at(-1)!.results[1]!.remaining;
    expect(lastTeamRemaining).toBe(5_000 - 210 * 20);
  });

  it('sends the limits of operations alike once per batch, not once per operation', async () => {
    const { calls, prefix, store, limiter } = recordingStore(client);
    const sent = () => calls.map((args) => args.length);
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        limiter.check([limitSpec('key:rpm', `k${index}`, 'sliding-window', 1, 60_000)], {}),
      ),
    );
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    // One script call: 4 header arguments and one shape (8 + 4 for its limit); with one shape, no shape indices.
    expect(sent()).toEqual([4 + 12]);
    // Two shapes (one and two requests): each operation names its shape, and each gets its own amounts.
    const mixed = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        limiter.check([limitSpec('key:rpm', `m${index}`, 'sliding-window', 5, 60_000)], {
          requests: 1 + (index % 2),
        }),
      ),
    );
    expect(sent().slice(1)).toEqual([4 + 12 + 12 + 4]);
    expect(mixed.map((decision) => decision.results[0]!.remaining)).toEqual([4, 3, 4, 3]);
    await store.close();
    await deleteKeys(client, prefix);
  });

  it('keeps two script calls in flight: 64 decisions issued together go out as calls of at most 32', async () => {
    const { calls, prefix, store, limiter } = recordingStore(client);
    const spec = limitSpec('key:rpm', 'k', 'sliding-window', 50, 60_000);
    const decisions = await Promise.all(Array.from({ length: 64 }, () => limiter.check([spec], {})));
    // Still exact across the calls: they run one after the other in Redis, in the order they were sent.
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(50);
    // The third header argument is the call's operation count.
    const sizes = calls.map((args) => Number(args[2]));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(64);
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(32);
    await store.close();
    await deleteKeys(client, prefix);
  });

  it('batches decisions made in separate callbacks of one event-loop turn, as requests arriving together are', async () => {
    const { calls, prefix, store, limiter } = recordingStore(client);
    // Each callback is a turn's I/O callback of its own: between them Node runs the tick queue.
    const decided = await Promise.all(
      ['a', 'b', 'c'].map(
        (key) =>
          new Promise<Decision>((resolve, reject) =>
            setImmediate(() => {
              limiter
                .check([limitSpec('key:rpm', key, 'sliding-window', 5, 60_000)], {})
                .then(resolve, reject);
            }),
          ),
      ),
    );
    expect(decided.map((decision) => decision.results[0]!.remaining)).toEqual([4, 4, 4]);
    expect(calls).toHaveLength(1);
    await store.close();
    await deleteKeys(client, prefix);
  });

  it('writes a batch when it leaves, not through the auto-pipeline (which would wait for a setImmediate)', async () => {
    const { store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    expect(client.options.enableAutoPipelining).toBe(true);
    const pending = limiter.check([limitSpec('rpm', 'k', 'sliding-window', 5, 60_000)], {});
    // The store's flush runs in this turn's check phase, before this immediate; an auto-pipelined call would still
    // be queued then, waiting for ioredis's own immediate in the next turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.autoPipelineQueueSize).toBe(0);
    expect((await pending).results[0]!.remaining).toBe(4);
  });

  it('gives each concurrency lease taken in one batch its own hold', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const inFlight: LimitSpec = limitSpec('par', 'k', 'concurrency', 3, 60_000);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => limiter.check([inFlight], {})));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
    expect(await client.zcard(`${prefix}{gw}:v2:3:par:k:h`)).toBe(3);
    expect((await limiter.check([inFlight], {})).allowed).toBe(false);
  });

  it('applies operations of one batch in the order they were issued', async () => {
    const { store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const tpm: LimitSpec = limitSpec('tpm', 'k', 'sliding-window', 1_000, 3_600_000, 'tokens');
    const { reservation } = await limiter.reserve([tpm], { tokens: 900 });
    const [, before, , after] = await Promise.all([
      Promise.resolve(),
      limiter.check([tpm], { tokens: 200 }),
      reservation!.commit(100),
      limiter.check([tpm], { tokens: 200 }),
    ]);
    expect(before.allowed).toBe(false);
    expect(after.allowed).toBe(true);
    expect(after.results[0]!.remaining).toBe(700);
  });

  it('puts all keys of a decision in one Cluster slot through the hash tag', async () => {
    const { prefix, store } = openRedisStore(client, { hashTag: (specs) => `team-${specs[0]!.key}` });
    const limiter = createRateLimiter({ store });
    await limiter.check(
      [
        limitSpec('team:rpm', 't1', 'fixed-window', 5, 60_000),
        limitSpec('key:rpm', 'k1', 'fixed-window', 5, 60_000),
      ],
      {},
    );
    const keys = await keysWithPrefix(client, prefix);
    expect(keys.length).toBe(2);
    // Cluster hashes only the text between the first '{' and the next '}'.
    const tags = new Set(keys.map((key) => key.slice(key.indexOf('{') + 1, key.indexOf('}'))));
    expect([...tags]).toEqual(['team-t1']);
  });
});
