import { describe, expect, it } from 'vitest';
import type { AttemptEvent, Deployment, ResultEvent } from '../src/index.ts';
import { harness } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

const pair: Deployment[] = [
  { id: 'a', modelGroup: 'gpt' },
  { id: 'b', modelGroup: 'gpt' },
];

describe('outcome reporting', () => {
  it('emits one event per attempt and one per call, with latency, class, status and tokens', async () => {
    const attempts: AttemptEvent[] = [];
    const results: ResultEvent[] = [];
    const test = harness(pair, {
      onAttempt: (event) => attempts.push(event),
      onResult: (event) => results.push(event),
    });
    await test.time.run(
      test.router.execute({ modelGroup: 'gpt', stream: true }, async (_deployment, context) => {
        await test.time.sleep(50);
        if (context.attempt === 1) throw new UpstreamError({ status: 503 });
        await test.time.sleep(30);
        context.markFirstByte();
        await test.time.sleep(100);
        context.reportUsage({ promptTokens: 10, completionTokens: 20 });
        return 'ok';
      }),
    );
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({
      ok: false,
      errorClass: 'upstream_5xx',
      status: 503,
      latencyMs: 50,
      attempt: 1,
    });
    expect(attempts[1]).toMatchObject({
      ok: true,
      latencyMs: 180,
      ttftMs: 80,
      attempt: 2,
      usage: { promptTokens: 10, completionTokens: 20 },
    });
    expect(results).toEqual([
      expect.objectContaining({
        ok: true,
        requestedGroup: 'gpt',
        modelGroup: 'gpt',
        attempts: 2,
        latencyMs: 230,
        ttftMs: 80,
      }),
    ]);
  });

  it('reports a failed call with its error class', async () => {
    const results: ResultEvent[] = [];
    const test = harness(pair, { numRetries: 0, onResult: (event) => results.push(event) });
    await test.time.run(
      test.router
        .execute({ modelGroup: 'gpt' }, async () => {
          throw new UpstreamError({ status: 400 });
        })
        .catch(() => undefined),
    );
    expect(results).toEqual([expect.objectContaining({ ok: false, errorClass: 'bad_request', attempts: 1 })]);
  });

  it('snapshots per-deployment state for a health endpoint', async () => {
    const test = harness(pair);
    const running = test.router.execute({ modelGroup: 'gpt' }, async (deployment, context) => {
      await test.time.sleep(100);
      context.reportUsage({ promptTokens: 5, completionTokens: 7 });
      return deployment.id;
    });
    await test.time.advance(10);
    const during = test.router.state().deployments;
    expect(during.reduce((sum, state) => sum + state.inFlight, 0)).toBe(1);
    const { value } = await test.time.run(running);
    test.router.reportFailure(value === 'a' ? 'b' : 'a', new UpstreamError({ status: 401 }));
    const after = test.router.state().deployments;
    const served = after.find((state) => state.id === value);
    const other = after.find((state) => state.id !== value);
    expect(served).toMatchObject({
      breaker: 'closed',
      inFlight: 0,
      latencyMs: 100,
      rpmUsed: 1,
      tpmUsed: 12,
      successes: 1,
    });
    expect(served?.peakEwmaMs).toBeGreaterThan(0);
    expect(other).toMatchObject({ breaker: 'open', openReason: 'auth' });
  });
});
