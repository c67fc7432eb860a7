// The contract every Store implementation must meet; memory-store.test.ts and redis-store.test.ts run it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiter } from '../src/rate-limiter.ts';
import type { Algorithm, LimitSpec, Store } from '../src/types.ts';

export interface TestClock {
  now: number;
}

export interface StoreHarness {
  store: Store;
  cleanup(): Promise<void>;
}

/** `makeStore` must build a fresh, isolated store whose time is read from `clock.now`. */
export function describeStoreContract(
  storeName: string,
  makeStore: (clock: TestClock) => Promise<StoreHarness>,
) {
  describe(`Store contract: ${storeName}`, () => {
    const start = 1_800_000_000_000;
    let clock: TestClock;
    let harness: StoreHarness;
    let limiter: RateLimiter;
    let sequence = 0;

    function spec(
      algorithm: Algorithm,
      limit: number,
      windowMs: number,
      unit: 'requests' | 'tokens' = 'requests',
    ) {
      sequence++;
      return {
        name: `${algorithm}:${unit}:${sequence}`,
        key: `subject-${sequence}`,
        algorithm,
        limit,
        windowMs,
        unit,
      };
    }

    async function admitted(specs: readonly LimitSpec[], attempts: number, amounts = { requests: 1 }) {
      let count = 0;
      for (let index = 0; index < attempts; index++) {
        if ((await limiter.check(specs, amounts)).allowed) count++;
      }
      return count;
    }

    beforeEach(async () => {
      clock = { now: start };
      harness = await makeStore(clock);
      limiter = createRateLimiter({ store: harness.store, clock: () => clock.now, reservationTtlMs: 5_000 });
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    for (const algorithm of [
      'sliding-window',
      'sliding-log',
      'fixed-window',
      'token-bucket',
      'gcra',
    ] as const) {
      it(`${algorithm}: admits exactly limit requests in one window, then denies`, async () => {
        const limit = spec(algorithm, 7, 60_000);
        expect(await admitted([limit], 12)).toBe(7);
        const denied = await limiter.check([limit], { requests: 1 });
        expect(denied.allowed).toBe(false);
        expect(denied.failed?.name).toBe(limit.name);
        expect(denied.failed?.remaining).toBe(0);
        expect(denied.retryAfterMs).toBeGreaterThan(0);
      });

      it(`${algorithm}: a denied call is admitted after waiting retryAfterMs`, async () => {
        const limit = spec(algorithm, 5, 10_000);
        expect(await admitted([limit], 5)).toBe(5);
        clock.now += 1_000;
        const denied = await limiter.check([limit], { requests: 1 });
        expect(denied.allowed).toBe(false);
        clock.now += denied.retryAfterMs;
        expect((await limiter.check([limit], { requests: 1 })).allowed).toBe(true);
      });

      it(`${algorithm}: reports the remaining amount after each admitted call`, async () => {
        const limit = spec(algorithm, 3, 60_000);
        const remaining: number[] = [];
        for (let index = 0; index < 3; index++) {
          remaining.push((await limiter.check([limit], { requests: 1 })).results[0]!.remaining);
        }
        expect(remaining).toEqual([2, 1, 0]);
      });

      it(`${algorithm}: has room again once a whole idle period has passed`, async () => {
        const limit = spec(algorithm, 4, 1_000);
        expect(await admitted([limit], 6)).toBe(4);
        clock.now += 2_000;
        expect(await admitted([limit], 6)).toBe(4);
      });
    }

    it('sliding-window: at a window boundary admits no more than the limit over any window-long span', async () => {
      const limit = spec('sliding-window', 100, 60_000);
      expect(await admitted([limit], 1)).toBe(1);
      clock.now = start + 60_000 - 1;
      expect(await admitted([limit], 200)).toBe(99);
      clock.now = start + 60_000 + 1;
      const afterBoundary = await admitted([limit], 200);
      // The span (start, start + 60001] holds the 99 late calls and everything admitted after the boundary.
      expect(99 + afterBoundary).toBeLessThanOrEqual(100);
    });

    it('sliding-log: at a window boundary admits no more than the limit over any window-long span', async () => {
      const limit = spec('sliding-log', 100, 60_000);
      expect(await admitted([limit], 1)).toBe(1);
      clock.now = start + 60_000 - 1;
      expect(await admitted([limit], 200)).toBe(99);
      clock.now = start + 60_000 + 1;
      const afterBoundary = await admitted([limit], 200);
      expect(afterBoundary).toBe(1);
    });

    it('fixed-window: the degenerate case admits the limit again right after the boundary', async () => {
      const limit = spec('fixed-window', 100, 60_000);
      expect(await admitted([limit], 1)).toBe(1);
      clock.now = start + 60_000 - 1;
      expect(await admitted([limit], 200)).toBe(99);
      clock.now = start + 60_000 + 1;
      expect(await admitted([limit], 200)).toBe(100);
    });

    it('sliding-window: weights the previous window by its remaining overlap', async () => {
      const limit = spec('sliding-window', 100, 60_000);
      expect(await admitted([limit], 100)).toBe(100);
      clock.now = start + 60_000 + 30_000;
      // Half the previous window still overlaps: 50 weighted calls, so 50 more fit.
      expect(await admitted([limit], 100)).toBe(50);
    });

    it('token-bucket: refills at limit per window', async () => {
      const limit = spec('token-bucket', 10, 10_000);
      expect(await admitted([limit], 20)).toBe(10);
      clock.now += 3_000;
      expect(await admitted([limit], 20)).toBe(3);
    });

    it('gcra: admits a burst of the limit, then one per emission interval', async () => {
      const limit = spec('gcra', 10, 10_000);
      expect(await admitted([limit], 20)).toBe(10);
      clock.now += 1_000;
      expect(await admitted([limit], 20)).toBe(1);
      clock.now += 2_500;
      expect(await admitted([limit], 20)).toBe(2);
    });

    it('a multi-limit call that fails one limit consumes nothing on the others', async () => {
      const keyRpm = spec('sliding-window', 10, 60_000);
      const keyTpm = spec('token-bucket', 1_000, 60_000, 'tokens');
      const teamTpm = spec('gcra', 500, 60_000, 'tokens');
      const deploymentRpm = spec('sliding-log', 10, 60_000);
      const all = [keyRpm, keyTpm, teamTpm, deploymentRpm];
      expect((await limiter.check(all, { requests: 1, tokens: 400 })).allowed).toBe(true);
      const denied = await limiter.check(all, { requests: 1, tokens: 400 });
      expect(denied.allowed).toBe(false);
      expect(denied.failed?.name).toBe(teamTpm.name);
      expect(denied.results.map((result) => result.allowed)).toEqual([true, true, false, true]);
      expect(denied.results.map((result) => result.remaining)).toEqual([9, 600, 100, 9]);
      const smaller = await limiter.check(all, { requests: 1, tokens: 100 });
      expect(smaller.allowed).toBe(true);
      expect(smaller.results.map((result) => result.remaining)).toEqual([8, 500, 0, 8]);
    });

    it('a call several limits deny is admitted after waiting retryAfterMs', async () => {
      const rpm = spec('gcra', 10, 10_000);
      const tpm = spec('sliding-window', 1_000, 60_000, 'tokens');
      expect((await limiter.check([rpm, tpm], { requests: 10, tokens: 1_000 })).allowed).toBe(true);
      const denied = await limiter.check([rpm, tpm], { requests: 1, tokens: 100 });
      expect(denied.failed?.name).toBe(rpm.name);
      expect(denied.results.map((result) => result.allowed)).toEqual([false, false]);
      // The request limit has room after 1 s, the token limit only once its window has drained by 100.
      expect(denied.retryAfterMs).toBe(66_000);
      clock.now += denied.retryAfterMs;
      expect((await limiter.check([rpm, tpm], { requests: 1, tokens: 100 })).allowed).toBe(true);
    });

    it('fixed-window: a denied call on a new key starts its window, as an admitted one would', async () => {
      const team = spec('gcra', 1, 60_000);
      const rpm = spec('fixed-window', 1, 1_000);
      expect((await limiter.check([team], {})).allowed).toBe(true);
      expect((await limiter.check([rpm, team], {})).allowed).toBe(false);
      clock.now += 900;
      expect((await limiter.check([rpm], {})).allowed).toBe(true);
      // The window began with the denied call, so the next one begins 1 s after it.
      clock.now += 200;
      expect((await limiter.check([rpm], {})).allowed).toBe(true);
    });

    it('a zero-token pre-check passes while tokens remain and fails once they are spent', async () => {
      const tpm = spec('sliding-window', 100, 60_000, 'tokens');
      expect((await limiter.check([tpm], { tokens: 0 })).allowed).toBe(true);
      expect((await limiter.check([tpm], { tokens: 100 })).allowed).toBe(true);
      expect((await limiter.check([tpm], { tokens: 0 })).allowed).toBe(false);
    });

    it('reserve holds the token estimate until commit replaces it with the actual count', async () => {
      const tpm = spec('sliding-window', 1_000, 60_000, 'tokens');
      const first = await limiter.reserve([tpm], { requests: 1, tokens: 600 });
      expect(first.decision.allowed).toBe(true);
      expect(first.decision.results[0]!.remaining).toBe(400);
      expect((await limiter.reserve([tpm], { requests: 1, tokens: 600 })).decision.allowed).toBe(false);
      await first.reservation!.commit(100);
      expect(first.reservation!.settled).toBe(true);
      const second = await limiter.reserve([tpm], { requests: 1, tokens: 600 });
      expect(second.decision.allowed).toBe(true);
      expect(second.decision.results[0]!.remaining).toBe(300);
    });

    it('a reservation reports a reset at least one window away, not 0 while its tokens are held', async () => {
      for (const algorithm of ['sliding-window', 'fixed-window', 'sliding-log'] as const) {
        const tpm = spec(algorithm, 1_000, 60_000, 'tokens');
        const { decision, reservation } = await limiter.reserve([tpm], { requests: 1, tokens: 600 });
        expect(decision.results[0]!.remaining).toBe(400);
        expect(decision.results[0]!.resetMs).toBeGreaterThanOrEqual(60_000);
        await reservation!.release();
      }
    });

    it('release refunds the held tokens but keeps the request counted', async () => {
      const rpm = spec('sliding-window', 10, 60_000);
      const tpm = spec('sliding-window', 1_000, 60_000, 'tokens');
      const { reservation } = await limiter.reserve([rpm, tpm], { requests: 1, tokens: 900 });
      await reservation!.release();
      await reservation!.release();
      const after = await limiter.check([rpm, tpm], { requests: 1, tokens: 0 });
      expect(after.results.map((result) => result.remaining)).toEqual([8, 1_000]);
    });

    it('a commit above the estimate may overdraw, and later calls wait for it to drain', async () => {
      const tpm = spec('token-bucket', 1_000, 10_000, 'tokens');
      const { reservation } = await limiter.reserve([tpm], { tokens: 500 });
      await reservation!.commit(1_500);
      const denied = await limiter.check([tpm], { tokens: 100 });
      expect(denied.allowed).toBe(false);
      expect(denied.retryAfterMs).toBe(6_000);
      clock.now += 6_000;
      expect((await limiter.check([tpm], { tokens: 100 })).allowed).toBe(true);
    });

    it('reservations not settled are released after their TTL', async () => {
      const tpm = spec('sliding-window', 1_000, 60_000, 'tokens');
      expect((await limiter.reserve([tpm], { tokens: 800 })).decision.allowed).toBe(true);
      expect((await limiter.reserve([tpm], { tokens: 800 })).decision.allowed).toBe(false);
      clock.now += 4_999;
      expect((await limiter.reserve([tpm], { tokens: 800 })).decision.allowed).toBe(false);
      clock.now += 2;
      expect((await limiter.reserve([tpm], { tokens: 800 })).decision.allowed).toBe(true);
    });

    it('a commit after the TTL still counts the actual tokens', async () => {
      const tpm = spec('sliding-window', 1_000, 60_000, 'tokens');
      const { reservation } = await limiter.reserve([tpm], { tokens: 800 });
      clock.now += 6_000;
      await reservation!.commit(700);
      const after = await limiter.check([tpm], { tokens: 0 });
      expect(after.results[0]!.remaining).toBe(300);
    });

    it('concurrency: admits limit leases, and a release frees one slot', async () => {
      const inFlight = spec('concurrency', 3, 60_000);
      const reservations = [];
      for (let index = 0; index < 5; index++) {
        const { decision, reservation } = await limiter.reserve([inFlight], { requests: 1 });
        if (decision.allowed) reservations.push(reservation!);
        else expect(decision.retryAfterMs).toBeGreaterThan(0);
      }
      expect(reservations).toHaveLength(3);
      await reservations[0]!.commit(0);
      expect((await limiter.reserve([inFlight], { requests: 1 })).decision.allowed).toBe(true);
      expect((await limiter.reserve([inFlight], { requests: 1 })).decision.allowed).toBe(false);
    });

    it('concurrency: a lease whose holder died expires after its TTL', async () => {
      const inFlight = spec('concurrency', 2, 60_000);
      expect((await limiter.reserve([inFlight], { requests: 1 })).decision.allowed).toBe(true);
      clock.now += 1_000;
      expect((await limiter.reserve([inFlight], { requests: 1 })).decision.allowed).toBe(true);
      expect((await limiter.reserve([inFlight], { requests: 1 })).decision.allowed).toBe(false);
      clock.now += 4_500;
      expect((await limiter.reserve([inFlight], { requests: 1 })).decision.allowed).toBe(true);
      expect((await limiter.reserve([inFlight], { requests: 1 })).decision.allowed).toBe(false);
    });

    it('concurrency: check() takes a lease that lasts windowMs', async () => {
      const inFlight = spec('concurrency', 1, 2_000);
      expect(await admitted([inFlight], 3)).toBe(1);
      clock.now += 2_000;
      expect(await admitted([inFlight], 3)).toBe(1);
    });

    it('concurrency: retryAfterMs waits for a lease still held, not for one already released', async () => {
      const shortLived = createRateLimiter({
        store: harness.store,
        clock: () => clock.now,
        reservationTtlMs: 300,
      });
      const inFlight = spec('concurrency', 1, 800);
      const { reservation } = await shortLived.reserve([inFlight], { requests: 1 });
      await reservation!.release();
      expect((await limiter.check([inFlight], { requests: 1 })).allowed).toBe(true);
      const denied = await limiter.check([inFlight], { requests: 1 });
      expect(denied.retryAfterMs).toBe(800);
      clock.now += denied.retryAfterMs;
      expect((await limiter.check([inFlight], { requests: 1 })).allowed).toBe(true);
    });

    it('a denied reservation holds nothing and returns no reservation', async () => {
      const inFlight = spec('concurrency', 1, 60_000);
      const tpm = spec('sliding-window', 100, 60_000, 'tokens');
      expect((await limiter.reserve([inFlight, tpm], { tokens: 200 })).reservation).toBeUndefined();
      const { decision } = await limiter.reserve([inFlight, tpm], { tokens: 100 });
      expect(decision.allowed).toBe(true);
    });

    it('a settle counts once in the stats, and decisions and denials are counted', async () => {
      const limit = spec('gcra', 1, 60_000);
      await admitted([limit], 3);
      const stats = harness.store.stats();
      expect(stats.decisions).toBe(3);
      expect(stats.denied).toBe(2);
    });
  });
}
