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

  it('probes only the deployments `includes` names', async () => {
    const probed: string[] = [];
    const test = harness(pair, {
      healthCheck: {
        intervalMs: 1_000,
        includes: (deployment) => deployment.id !== 'b',
        probe: async (deployment) => {
          probed.push(deployment.id);
        },
      },
    });
    await test.time.advance(2_000);
    expect(probed).toEqual(['a', 'a']);
    await test.router.close();
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

  it('counts a probe that never answers as a timeout failure and keeps probing the other deployments', async () => {
    const probed: string[] = [];
    const signals: AbortSignal[] = [];
    const test = harness(pair, {
      breaker: { consecutiveFailures: 2, cooldownMs: 30_000 },
      healthCheck: {
        intervalMs: 1_000,
        timeoutMs: 500,
        probe: (deployment, signal) => {
          probed.push(deployment.id);
          if (deployment.id === 'b') return Promise.resolve();
          signals.push(signal);
          return new Promise<void>(() => {});
        },
      },
    });
    await test.time.advance(1_000);
    expect(signals[0]?.aborted).toBe(false);
    await test.time.advance(500);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toMatchObject({ name: 'TimeoutError' });
    await test.time.advance(1_500);
    expect(probed.filter((id) => id === 'b')).toHaveLength(2);
    const a = test.router.state().deployments.find((state) => state.id === 'a');
    expect(a?.breaker).toBe('open');
    expect(a?.openReason).toBe('timeout');
    await test.router.close();
  });

  it('close() aborts a running probe and resolves without waiting for it', async () => {
    let probeSignal: AbortSignal | undefined;
    const test = harness(pair, {
      healthCheck: {
        intervalMs: 1_000,
        timeoutMs: 60_000,
        probe: (_deployment, signal) => {
          probeSignal = signal;
          return new Promise<void>(() => {});
        },
      },
    });
    await test.time.advance(1_000);
    await test.time.run(test.router.close());
    expect(probeSignal?.aborted).toBe(true);
    expect(test.time.pending).toBe(0);
    expect(test.router.state().deployments.map((state) => state.breaker)).toEqual(['closed', 'closed']);
  });
});
