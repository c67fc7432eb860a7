import { GwError } from '@gw/errors';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/memory-store.ts';
import { RateLimitError } from '../src/rate-limit-error.ts';
import { createRateLimiter } from '../src/rate-limiter.ts';
import type { LimitSpec } from '../src/types.ts';
import { limitSpec } from './support/limit-spec.ts';

const rpm: LimitSpec = limitSpec('key:rpm', 'k', 'gcra', 2, 60_000);

describe('createRateLimiter', () => {
  it('rejects specs and amounts that would corrupt counters, with a clear error', async () => {
    const limiter = createRateLimiter({ store: createMemoryStore() });
    await expect(limiter.check([{ ...rpm, limit: Number.NaN }], {})).rejects.toThrow(/positive finite limit/);
    await expect(limiter.check([{ ...rpm, windowMs: 0 }], {})).rejects.toThrow(/windowMs/);
    const unknown = { ...rpm, algorithm: 'leaky' } as unknown as LimitSpec;
    await expect(limiter.check([unknown], {})).rejects.toThrow(/unknown algorithm 'leaky'/);
    await expect(limiter.check([rpm], { tokens: -1 })).rejects.toThrow(/tokens must be/);
    const error = await limiter
      .reserve([rpm], { requests: Number.POSITIVE_INFINITY })
      .catch((caught) => caught);
    expect(GwError.hasCode(error, 'GW_ERR_RATELIMIT_INVALID')).toBe(true);
  });

  it('refuses one limit name and key listed twice in a call, which would share one counter', async () => {
    const limiter = createRateLimiter({ store: createMemoryStore() });
    const twice: LimitSpec[] = [rpm, { ...rpm, algorithm: 'sliding-log' }];
    const error = await limiter.check(twice, {}).catch((caught) => caught);
    expect(GwError.hasCode(error, 'GW_ERR_RATELIMIT_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/'key:rpm' for key 'k' appears twice/);
    // Another key under the same name is another counter.
    expect((await limiter.check([rpm, { ...rpm, key: 'other' }], {})).allowed).toBe(true);
  });

  it('refuses a reservation TTL no store can hold (an infinite one would fail every batched Redis decision)', () => {
    const store = createMemoryStore();
    for (const reservationTtlMs of [Number.POSITIVE_INFINITY, 2 ** 31, 0, Number.NaN]) {
      expect(() => createRateLimiter({ store, reservationTtlMs })).toThrow(
        /reservationTtlMs must be > 0 and at most/,
      );
    }
    expect(() => createRateLimiter({ store, reservationTtlMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it('counts one request by default and treats a settled reservation as done', async () => {
    const limiter = createRateLimiter({
      store: createMemoryStore(),
      reservationTtlMs: 1_000,
      clock: () => 5,
    });
    const { reservation } = await limiter.reserve([rpm], {});
    expect(reservation!.expiresAt).toBe(1_005);
    expect(reservation!.settled).toBe(false);
    await reservation!.commit(10);
    await reservation!.release();
    expect(reservation!.settled).toBe(true);
    expect((await limiter.check([rpm], {})).results[0]!.remaining).toBe(0);
  });

  it('rejects a negative actual token count without settling', async () => {
    const limiter = createRateLimiter({ store: createMemoryStore() });
    const { reservation } = await limiter.reserve([rpm], {});
    await expect(reservation!.commit(-5)).rejects.toThrow(/actualTokens/);
    expect(reservation!.settled).toBe(false);
  });

  it('turns a denied decision into a 429 RateLimitError naming the limit', async () => {
    const limiter = createRateLimiter({ store: createMemoryStore() });
    await limiter.check([rpm], { requests: 2 });
    const decision = await limiter.check([rpm], {});
    const error = RateLimitError.rateLimited(decision);
    expect(error.status).toBe(429);
    expect(error.code).toBe('GW_ERR_RATE_LIMITED');
    expect(error.message).toMatch(/requests limit 'key:rpm' \(2\)/);
    expect(error.details).toEqual({
      limit: 'key:rpm',
      unit: 'requests',
      retryAfterMs: decision.retryAfterMs,
    });
    expect(GwError.isInstance(error)).toBe(true);
  });
});
