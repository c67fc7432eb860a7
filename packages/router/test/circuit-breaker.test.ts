import { describe, expect, it } from 'vitest';
import type { Deployment, RouterError } from '../src/index.ts';
import { harness, settle } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

const single: Deployment[] = [{ id: 'only', modelGroup: 'gpt' }];

function breakerOf(test: ReturnType<typeof harness>, id: string) {
  return test.router.state().deployments.find((state) => state.id === id);
}

async function failOnce(test: ReturnType<typeof harness>, error: unknown): Promise<void> {
  await test.time.run(
    settle(
      test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
        test.track(deployment);
        throw error;
      }),
    ),
  );
}

describe('circuit breaker', () => {
  it('opens after the configured consecutive failures, even in a single-deployment group', async () => {
    const test = harness(single, { numRetries: 0, breaker: { consecutiveFailures: 3, cooldownMs: 10_000 } });
    await failOnce(test, new UpstreamError({ status: 500 }));
    await failOnce(test, new UpstreamError({ status: 500 }));
    expect(breakerOf(test, 'only')?.breaker).toBe('closed');
    expect(breakerOf(test, 'only')?.consecutiveFailures).toBe(2);
    await failOnce(test, new UpstreamError({ status: 500 }));
    expect(breakerOf(test, 'only')?.breaker).toBe('open');
    expect(breakerOf(test, 'only')?.openUntil).toBe(test.time.now + 10_000);
    const blocked = await test.time.run(
      settle(test.router.execute({ modelGroup: 'gpt' }, async () => 'never')),
    );
    expect((blocked.error as RouterError).code).toBe('GW_ERR_ROUTER_NO_HEALTHY_DEPLOYMENT');
    expect(test.tried).toHaveLength(3);
  });

  it('opens on a failure ratio over the minimum volume', async () => {
    const test = harness(single, {
      numRetries: 0,
      breaker: { consecutiveFailures: 100, failureRatio: 0.5, minimumRequests: 6, windowMs: 60_000 },
    });
    const outcomes = [true, false, true, false, true];
    for (const ok of outcomes) {
      if (ok) await test.time.run(test.router.execute({ modelGroup: 'gpt' }, async () => 'ok'));
      else await failOnce(test, new UpstreamError({ status: 502 }));
    }
    expect(breakerOf(test, 'only')?.breaker).toBe('closed');
    await failOnce(test, new UpstreamError({ status: 502 })); // 3 of 6 failed
    expect(breakerOf(test, 'only')?.breaker).toBe('open');
  });

  it.each([401, 403, 404])('opens at once on %i', async (status) => {
    const test = harness(single, { numRetries: 0 });
    await failOnce(test, new UpstreamError({ status }));
    expect(breakerOf(test, 'only')?.breaker).toBe('open');
  });

  it('does not count a bad request against the deployment', async () => {
    const test = harness(single, { numRetries: 0, breaker: { consecutiveFailures: 1 } });
    await failOnce(test, new UpstreamError({ status: 400 }));
    expect(breakerOf(test, 'only')?.breaker).toBe('closed');
    expect(breakerOf(test, 'only')?.consecutiveFailures).toBe(0);
  });

  it('lets one probe through when half-open and closes on its success', async () => {
    const test = harness(single, { numRetries: 0, breaker: { cooldownMs: 5_000, halfOpenProbes: 1 } });
    await failOnce(test, new UpstreamError({ status: 401 }));
    await test.time.advance(5_000);
    expect(breakerOf(test, 'only')?.breaker).toBe('half-open');
    let release: (value: string) => void = () => {};
    const probe = test.router.execute({ modelGroup: 'gpt' }, (deployment) => {
      test.track(deployment);
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    });
    await test.time.advance(0);
    // The probe slot is taken: a concurrent call must not reach the deployment.
    const concurrent = await test.time.run(
      settle(test.router.execute({ modelGroup: 'gpt' }, async () => 'no')),
    );
    expect((concurrent.error as RouterError).code).toBe('GW_ERR_ROUTER_NO_HEALTHY_DEPLOYMENT');
    release('probe ok');
    expect((await test.time.run(probe)).value).toBe('probe ok');
    expect(breakerOf(test, 'only')?.breaker).toBe('closed');
    const after = await test.time.run(test.router.execute({ modelGroup: 'gpt' }, async () => 'flowing'));
    expect(after.value).toBe('flowing');
  });

  it('keeps a longer trip when a request already in flight fails after it opened', async () => {
    const test = harness(single, { numRetries: 0, retryAfterCapMs: 0, breaker: { cooldownMs: 5_000 } });
    let failLate: (error: unknown) => void = () => {};
    const inFlight = settle(
      test.router.execute(
        { modelGroup: 'gpt' },
        () => new Promise<string>((_, reject) => (failLate = reject)),
      ),
    );
    await test.time.advance(0);
    await failOnce(test, new UpstreamError({ status: 429, retryAfterMs: 60_000 }));
    expect(breakerOf(test, 'only')?.openUntil).toBe(test.time.now + 60_000);
    // The provider's second 429 carries no Retry-After: alone it would open for the 5 s default.
    failLate(new UpstreamError({ status: 429 }));
    await test.time.run(inFlight);
    expect(breakerOf(test, 'only')?.breaker).toBe('open');
    expect(breakerOf(test, 'only')?.openUntil).toBe(test.time.now + 60_000);
  });

  it('reopens when the half-open probe fails', async () => {
    const test = harness(single, { numRetries: 0, breaker: { cooldownMs: 5_000 } });
    await failOnce(test, new UpstreamError({ status: 403 }));
    await test.time.advance(5_000);
    await failOnce(test, new UpstreamError({ status: 500 }));
    expect(breakerOf(test, 'only')?.breaker).toBe('open');
    expect(breakerOf(test, 'only')?.openUntil).toBe(test.time.now + 5_000);
    expect(test.tried).toHaveLength(2);
  });

  it('routes around an open deployment while the rest of the group serves', async () => {
    const test = harness(
      [
        { id: 'a', modelGroup: 'gpt' },
        { id: 'b', modelGroup: 'gpt' },
      ],
      { numRetries: 1 },
    );
    test.router.reportFailure('a', new UpstreamError({ status: 401 }));
    const used = new Set<string>();
    for (let call = 0; call < 10; call++) {
      const result = await test.time.run(test.router.execute({ modelGroup: 'gpt' }, async () => 'ok'));
      used.add(result.deployment.id);
    }
    expect(used).toEqual(new Set(['b']));
  });
  describe('allowed fails per error class', () => {
    it('tolerates exactly the allowed 429s in a window and opens on the next', async () => {
      const test = harness(single, { numRetries: 0, breaker: { allowedFails: { rate_limit: 3 } } });
      for (let failure = 0; failure < 3; failure++) await failOnce(test, new UpstreamError({ status: 429 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('closed');
      await failOnce(test, new UpstreamError({ status: 429, retryAfterMs: 20_000 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('open');
      expect(breakerOf(test, 'only')?.openUntil).toBe(test.time.now + 20_000);
    });

    it('counts a class afresh once its window has passed', async () => {
      const test = harness(single, {
        numRetries: 0,
        breaker: { allowedFails: { rate_limit: 1 }, windowMs: 60_000 },
      });
      await failOnce(test, new UpstreamError({ status: 429 }));
      await test.time.advance(60_000);
      await failOnce(test, new UpstreamError({ status: 429 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('closed');
      await failOnce(test, new UpstreamError({ status: 429 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('open');
    });

    it('judges a listed class by its own count instead of the consecutive failures', async () => {
      const test = harness(single, {
        numRetries: 0,
        breaker: { consecutiveFailures: 2, allowedFails: { upstream_5xx: 4 } },
      });
      for (let failure = 0; failure < 4; failure++) await failOnce(test, new UpstreamError({ status: 500 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('closed');
      expect(breakerOf(test, 'only')?.consecutiveFailures).toBe(0);
      await failOnce(test, new UpstreamError({ status: 500 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('open');
    });

    it('leaves the classes it does not list to the default rules', async () => {
      const test = harness(single, { numRetries: 0, breaker: { allowedFails: { rate_limit: 10 } } });
      await failOnce(test, new UpstreamError({ status: 401 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('open');
    });

    it('never opens on a class that says nothing about the deployment', async () => {
      const test = harness(single, { numRetries: 0, breaker: { allowedFails: { bad_request: 0 } } });
      await failOnce(test, new UpstreamError({ status: 400 }));
      await failOnce(test, new UpstreamError({ status: 400 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('closed');
    });

    it('reopens when a half-open probe fails with a listed class', async () => {
      const test = harness(single, {
        numRetries: 0,
        breaker: { cooldownMs: 5_000, allowedFails: { rate_limit: 0 } },
      });
      await failOnce(test, new UpstreamError({ status: 429 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('open');
      await test.time.advance(5_000);
      await failOnce(test, new UpstreamError({ status: 429 }));
      expect(breakerOf(test, 'only')?.breaker).toBe('open');
      expect(test.tried).toHaveLength(2);
    });
  });
});
