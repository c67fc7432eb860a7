import { describe, expect, it } from 'vitest';
import type { Deployment } from '../src/index.ts';
import { harness } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

const pair: Deployment[] = [
  { id: 'a', modelGroup: 'gpt' },
  { id: 'b', modelGroup: 'gpt' },
];

describe('active health checks', () => {
  it('probes every deployment each interval and feeds failures to the breaker', async () => {
    const down = new Set(['a']);
    const probed: string[] = [];
    const test = harness(pair, {
      breaker: { consecutiveFailures: 2, cooldownMs: 30_000 },
      healthCheck: {
        intervalMs: 1_000,
        probe: async (deployment) => {
          probed.push(deployment.id);
          if (down.has(deployment.id)) throw new UpstreamError({ status: 503 });
        },
      },
    });
    await test.time.advance(1_000);
    expect(probed.sort()).toEqual(['a', 'b']);
    expect(test.router.state().deployments.find((state) => state.id === 'a')?.breaker).toBe('closed');
    await test.time.advance(1_000);
    expect(test.router.state().deployments.find((state) => state.id === 'a')?.breaker).toBe('open');
    for (let call = 0; call < 10; call++) {
      const result = await test.time.run(
        test.router.execute({ modelGroup: 'gpt' }, async (deployment) => deployment.id),
      );
      expect(result.value).toBe('b');
    }
    down.clear();
    await test.time.advance(1_000);
    expect(test.router.state().deployments.find((state) => state.id === 'a')?.breaker).toBe('closed');
    await test.router.close();
    const before = probed.length;
    await test.time.advance(5_000);
    expect(probed.length).toBe(before);
  });

  it('does not let a passing probe cut short a Retry-After', async () => {
    const test = harness(pair, {
      healthCheck: { intervalMs: 1_000, probe: async () => {} },
    });
    test.router.reportFailure('a', new UpstreamError({ status: 429, retryAfterMs: 10_000 }));
    await test.time.advance(3_000);
    expect(test.router.state().deployments.find((state) => state.id === 'a')?.breaker).toBe('open');
    await test.time.advance(8_000);
    expect(test.router.state().deployments.find((state) => state.id === 'a')?.breaker).toBe('closed');
    await test.router.close();
  });
});
