import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { stateKey } from '../src/redis-keys.ts';
import type { LimitSpec } from '../src/types.ts';
import { connect, openRedisStore } from './redis-helpers.ts';
import { limitSpec } from './support/limit-spec.ts';

const client = connect();

afterAll(async () => {
  await client.quit();
});

/** The commands run on keys under `prefix` while `action` runs, as MONITOR reports them. */
async function commandsOn(prefix: string, action: () => Promise<unknown>): Promise<string[][]> {
  const monitor = await client.duplicate().monitor();
  const seen: string[][] = [];
  const marker = `${prefix}end-of-action`;
  // MONITOR reports commands in the order the server ran them: once the marker shows, the action's have all shown.
  const ended = new Promise<void>((resolve) => {
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[1] === marker) resolve();
      else if (args[1]?.startsWith(prefix) && args[0]?.toLowerCase() !== 'evalsha') seen.push(args);
    });
  });
  await action();
  await client.get(marker);
  await ended;
  monitor.disconnect();
  return seen.map((args) => [args[0]!.toUpperCase(), ...args.slice(1)]);
}

describe('RedisStore packed state', () => {
  it('reads a new key with one MGET and writes it, TTL included, with one SET', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const rpm = limitSpec('rpm', 'k', 'sliding-window', 10, 60_000);
    const commands = await commandsOn(prefix, () => limiter.check([rpm], {}));
    const key = stateKey(prefix, 'gw', rpm);
    expect(commands.map((args) => args[0])).toEqual(['MGET', 'SET']);
    expect(commands[1]!.slice(1, 2)).toEqual([key]);
    expect(commands[1]![3]).toBe('PX');
    expect(await client.type(key)).toBe('string');
    expect(await client.strlen(key)).toBe(34);
    expect(await client.pttl(key)).toBeGreaterThan(60_000);
  });

  it('rewrites an existing state whose expiry did not move without touching its TTL', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const rpm = limitSpec('rpm', 'k', 'sliding-window', 10, 3_600_000);
    await limiter.check([rpm], {});
    const key = stateKey(prefix, 'gw', rpm);
    const ttlBefore = await client.pttl(key);
    const commands = await commandsOn(prefix, () => limiter.check([rpm], {}));
    expect(commands.map((args) => args[0])).toEqual(['MGET', 'SET']);
    // Redis 7 has KEEPTTL (the test servers run 7); the TTL stays where the first decision put it.
    expect(commands[1]!.slice(3)).toEqual(['KEEPTTL']);
    const ttlAfter = await client.pttl(key);
    expect(ttlAfter).toBeGreaterThan(0);
    expect(ttlAfter).toBeLessThanOrEqual(ttlBefore);
  });

  it('does not write a state the decision left unchanged', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const rpm = limitSpec('rpm', 'k', 'fixed-window', 1, 3_600_000);
    expect((await limiter.check([rpm], {})).allowed).toBe(true);
    const commands = await commandsOn(prefix, async () => {
      expect((await limiter.check([rpm], {})).allowed).toBe(false);
    });
    expect(commands.map((args) => args[0])).toEqual(['MGET']);
  });

  it('round-trips a state with holds (the longer form) and returns to the short one when they end', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store, reservationTtlMs: 60_000 });
    const tpm = limitSpec('tpm', 'k', 'sliding-window', 1_000, 3_600_000, 'tokens');
    const key = stateKey(prefix, 'gw', tpm);
    const first = await limiter.reserve([tpm], { tokens: 300 });
    expect(await client.strlen(key)).toBe(50);
    const second = await limiter.reserve([tpm], { tokens: 300 });
    expect(second.decision.results[0]!.remaining).toBe(400);
    await first.reservation!.commit(100);
    await second.reservation!.release();
    expect(await client.strlen(key)).toBe(34);
    const after = await limiter.check([tpm], { tokens: 50 });
    // 100 committed, 300 released, 50 now.
    expect(after.results[0]!.remaining).toBe(850);
  });

  it('gives a new hold its TTL even when an ended hold had expired later', async () => {
    const { prefix, store } = openRedisStore(client);
    const long = createRateLimiter({ store, reservationTtlMs: 600_000 });
    const short = createRateLimiter({ store, reservationTtlMs: 60_000 });
    const tpm = limitSpec('tpm', 'k', 'token-bucket', 1_000, 3_600_000, 'tokens');
    const holds = stateKey(prefix, 'gw', tpm).replace(/s$/, 'h');
    const { reservation } = await long.reserve([tpm], { tokens: 10 });
    await reservation!.release();
    expect(await client.exists(holds)).toBe(0);
    await short.reserve([tpm], { tokens: 10 });
    const ttl = await client.pttl(holds);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('settles a reservation whose state expired meanwhile, for every algorithm', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const algorithms = ['sliding-window', 'sliding-log', 'token-bucket', 'gcra', 'fixed-window'] as const;
    for (const settle of ['commit', 'release'] as const) {
      for (const algorithm of [...algorithms, 'concurrency' as const]) {
        const unit = algorithm === 'concurrency' ? 'requests' : 'tokens';
        const spec = limitSpec(`${settle}-${algorithm}`, 'k', algorithm, 1_000, 60_000, unit);
        const { reservation } = await limiter.reserve([spec], { tokens: 10 });
        await client.del(stateKey(prefix, 'gw', spec));
        if (settle === 'commit') await reservation!.commit(5);
        else await reservation!.release();
        // The holds are gone with the settlement and the state started afresh: only what the commit counted
        // (5 tokens) and, for concurrency, this check's own lease are used.
        const after = await limiter.check([spec], { tokens: 0 });
        const expected = unit === 'requests' ? 999 : settle === 'commit' ? 995 : 1_000;
        expect([algorithm, settle, after.results[0]!.remaining]).toEqual([algorithm, settle, expected]);
      }
    }
    expect(store.stats().failures).toBe(0);
  });

  it('settles one of two holds after their state expired, the other hold still stored', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const spec = limitSpec('par', 'k', 'concurrency', 10, 60_000);
    const first = await limiter.reserve([spec], {});
    const second = await limiter.reserve([spec], {});
    await client.del(stateKey(prefix, 'gw', spec));
    await first.reservation!.release();
    await second.reservation!.release();
    expect(store.stats().failures).toBe(0);
  });

  it('never reads state stored under the previous (hash) format', async () => {
    const { prefix, store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    const rpm: LimitSpec = limitSpec('rpm', 'k', 'fixed-window', 1, 3_600_000);
    // A v1 key of the same limit, exhausted: the v2 store neither trips over its type nor counts it.
    const v1 = `${prefix}{gw}:3:rpm:k:s`;
    await client.hset(v1, 'g', 'fw', 'a', Date.now(), 'b', 1, 'e', Date.now() + 3_600_000);
    await client.pexpire(v1, 3_600_000);
    expect((await limiter.check([rpm], {})).allowed).toBe(true);
    expect((await limiter.check([rpm], {})).allowed).toBe(false);
    expect(await client.type(v1)).toBe('hash');
    expect(store.stats().failures).toBe(0);
  });

  it('reads the states of a call with more than 1,000 keys (MGET in chunks) in their order', async () => {
    const { store } = openRedisStore(client);
    const limiter = createRateLimiter({ store });
    // 60 operations of 20 limits: 1,200 keys in one script call, each limit with its own remaining count.
    const specsOf = (operation: number) =>
      Array.from({ length: 20 }, (_, index) =>
        limitSpec(`l${index}`, `k${operation}`, 'fixed-window', 10 + operation * 20 + index, 3_600_000),
      );
    const round = () =>
      Promise.all(Array.from({ length: 60 }, (_, operation) => limiter.check(specsOf(operation), {})));
    await round();
    const second = await round();
    for (let operation = 0; operation < 60; operation++) {
      expect(second[operation]!.results.map((result) => result.remaining)).toEqual(
        Array.from({ length: 20 }, (_, index) => 10 + operation * 20 + index - 2),
      );
    }
  });
});
