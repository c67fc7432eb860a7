import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { createRedisStore } from '../src/redis-store.ts';
import { countingTimeoutMs, uniquePrefix } from './redis-helpers.ts';
import { describeStoreContract } from './store-contract.ts';
import { limitSpec } from './support/limit-spec.ts';
import { type OwnRedisCluster, startOwnRedisCluster } from './support/own-redis-cluster.ts';

let cluster: OwnRedisCluster;

beforeAll(async () => {
  cluster = await startOwnRedisCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

// The cluster is this file's own, so a store's keys need no cleanup beyond closing it.
describeStoreContract('RedisStore on a three-master Redis Cluster', async (clock) => {
  const store = createRedisStore({
    client: cluster.connect(),
    prefix: uniquePrefix(),
    clock: () => clock.now,
    failurePolicy: 'fail-closed',
    timeoutMs: countingTimeoutMs,
  });
  return { store, cleanup: () => store.close() };
});

const rpm = (tenant: string, limit: number) =>
  limitSpec('tenant:rpm', tenant, 'sliding-window', limit, 60_000);
const tpm = (tenant: string, limit: number) =>
  limitSpec('tenant:tpm', tenant, 'sliding-window', limit, 60_000, 'tokens');

describe('RedisStore on a Redis Cluster', () => {
  it('spreads decisions over the masters by hash tag and counts each tenant exactly', async () => {
    const prefix = uniquePrefix();
    const store = createRedisStore({
      client: cluster.connect(),
      prefix,
      failurePolicy: 'fail-closed',
      timeoutMs: countingTimeoutMs,
      hashTag: (specs) => specs[0]!.key,
    });
    const limiter = createRateLimiter({ store });
    const tenants = Array.from({ length: 48 }, (_, index) => `tenant-${index}`);
    // Five attempts per tenant against a limit of three, all issued at once: one batch per tag per turn.
    const decisions = await Promise.all(
      tenants.flatMap((tenant) =>
        Array.from({ length: 5 }, () => limiter.check([rpm(tenant, 3), tpm(tenant, 1_000)], { tokens: 10 })),
      ),
    );
    for (let index = 0; index < tenants.length; index++) {
      const admitted = decisions.slice(index * 5, index * 5 + 5).filter((decision) => decision.allowed);
      expect(admitted).toHaveLength(3);
    }
    const perNode = await cluster.keysPerNode(prefix);
    expect(perNode.filter((keys) => keys > 0).length).toBeGreaterThanOrEqual(2);
    expect(perNode.reduce((sum, keys) => sum + keys, 0)).toBe(tenants.length * 2);
    await store.close();
  });

  it('admits exactly the limit from a concurrent burst through two cluster clients', async () => {
    const prefix = uniquePrefix();
    const limiters = [cluster.connect(), cluster.connect()].map((client) =>
      createRateLimiter({
        store: createRedisStore({
          client,
          prefix,
          failurePolicy: 'fail-closed',
          timeoutMs: countingTimeoutMs,
        }),
      }),
    );
    const decisions = await Promise.all(
      Array.from({ length: 300 }, (_, index) => limiters[index % 2]!.check([rpm('burst', 120)], {})),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(120);
    const denied = decisions.find((decision) => !decision.allowed)!;
    expect(denied.failed?.name).toBe('tenant:rpm');
    expect(denied.retryAfterMs).toBeGreaterThan(0);
  });

  it('consumes nothing on any node when one limit of a multi-limit decision fails', async () => {
    const store = createRedisStore({
      client: cluster.connect(),
      prefix: uniquePrefix(),
      failurePolicy: 'fail-closed',
      timeoutMs: countingTimeoutMs,
    });
    const limiter = createRateLimiter({ store });
    const specs = [rpm('multi', 10), tpm('multi', 100)];
    expect((await limiter.check(specs, { tokens: 60 })).allowed).toBe(true);
    const denied = await limiter.check(specs, { tokens: 60 });
    expect(denied.allowed).toBe(false);
    expect(denied.failed?.name).toBe('tenant:tpm');
    const after = await limiter.check(specs, { tokens: 40 });
    expect(after.allowed).toBe(true);
    // The denied call took no request: 2 of 10 used.
    expect(after.results[0]!.remaining).toBe(8);
    await store.close();
  });
});
