import { describe, expect, it } from 'vitest';
import { type Deployment, RouterError } from '../src/index.ts';
import { harness, settle } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

const pair: Deployment[] = [
  { id: 'a', modelGroup: 'gpt' },
  { id: 'b', modelGroup: 'gpt' },
];
const single: Deployment[] = [{ id: 'only', modelGroup: 'gpt' }];

describe('Retry-After', () => {
  it('waits out the Retry-After of the only deployment, then retries it', async () => {
    const test = harness(single, { retryAfterCapMs: 10_000 });
    const result = await test.time.run(
      test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
        test.track(deployment);
        if (test.tried.length === 1) throw new UpstreamError({ status: 429, retryAfterMs: 3_000 });
        return 'ok';
      }),
    );
    expect(result.value).toBe('ok');
    expect(test.tried).toEqual(['only', 'only']);
    expect((test.startedAt[1] as number) - (test.startedAt[0] as number)).toBe(3_000);
  });

  it('retries at once on another deployment instead of waiting', async () => {
    const test = harness(pair);
    const result = await test.time.run(
      test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
        test.track(deployment);
        if (test.tried.length === 1) throw new UpstreamError({ status: 429, retryAfterMs: 30_000 });
        return 'ok';
      }),
    );
    expect(result.attempts).toBe(2);
    expect(test.tried[1]).not.toBe(test.tried[0]);
    expect(test.startedAt[1]).toBe(test.startedAt[0]);
  });

  it('keeps later calls off the deployment until its Retry-After expires', async () => {
    const test = harness(pair);
    while (!test.tried.includes('a')) {
      await test.time.run(
        test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
          test.track(deployment);
          if (deployment.id === 'a') throw new UpstreamError({ status: 429, retryAfterMs: 20_000 });
          return 'ok';
        }),
      );
    }
    test.tried.length = 0;
    for (let call = 0; call < 20; call++) {
      await test.time.run(
        test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
          test.track(deployment);
          return 'ok';
        }),
      );
    }
    expect(new Set(test.tried)).toEqual(new Set(['b']));
    expect(test.router.state().deployments.find((state) => state.id === 'a')?.breaker).toBe('open');
    await test.time.advance(20_000);
    expect(test.router.state().deployments.find((state) => state.id === 'a')?.breaker).toBe('half-open');
  });

  it('does not wait past the cap: the upstream 429 goes back at once', async () => {
    const test = harness(single, { retryAfterCapMs: 5_000 });
    const started = test.time.now;
    const rateLimit = new UpstreamError({ status: 429, retryAfterMs: 60_000 });
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
          test.track(deployment);
          throw rateLimit;
        }),
      ),
    );
    expect(outcome.error).toBe(rateLimit);
    expect(test.tried).toEqual(['only']);
    expect(test.time.now).toBe(started);
  });

  it('answers 429 with the remaining wait when a rate-limited group is asked again', async () => {
    const test = harness(single, { retryAfterCapMs: 1_000, numRetries: 0 });
    await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'gpt' }, async () => {
          throw new UpstreamError({ status: 429, retryAfterMs: 8_000 });
        }),
      ),
    );
    await test.time.advance(3_000);
    const outcome = await test.time.run(
      settle(test.router.execute({ modelGroup: 'gpt' }, async () => 'never')),
    );
    const error = outcome.error as RouterError;
    expect(error).toBeInstanceOf(RouterError);
    expect(error.code).toBe('GW_ERR_ROUTER_NO_HEALTHY_DEPLOYMENT');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(5_000);
  });

  it('falls back to another group rather than wait past the cap', async () => {
    const test = harness([...single, { id: 'other', modelGroup: 'claude' }], {
      retryAfterCapMs: 1_000,
      fallbacks: { gpt: ['claude'] },
    });
    const result = await test.time.run(
      test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
        test.track(deployment);
        if (deployment.id === 'only') throw new UpstreamError({ status: 429, retryAfterMs: 9_000 });
        return 'ok';
      }),
    );
    expect(test.tried).toEqual(['only', 'other']);
    expect(result.modelGroup).toBe('claude');
  });
});
