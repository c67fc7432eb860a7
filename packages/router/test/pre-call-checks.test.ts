import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type Deployment, neverAborts, type RouterError } from '../src/index.ts';
import { harness, settle } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

async function servedBy(
  test: ReturnType<typeof harness>,
  request: Parameters<typeof test.router.execute>[0],
) {
  const result = await test.time.run(test.router.execute(request, async (deployment) => deployment.id));
  return result.value;
}

describe('pre-call checks', () => {
  const windows: Deployment[] = [
    { id: 'small', modelGroup: 'gpt', maxInputTokens: 8_000, maxOutputTokens: 1_000 },
    { id: 'big', modelGroup: 'gpt', maxInputTokens: 128_000, maxOutputTokens: 16_000 },
    { id: 'huge', modelGroup: 'long', maxInputTokens: 1_000_000 },
  ];

  it('skips deployments whose context window cannot hold the prompt or max_tokens', async () => {
    const test = harness(windows);
    for (let call = 0; call < 10; call++) {
      expect(await servedBy(test, { modelGroup: 'gpt', promptTokens: 20_000 })).toBe('big');
      expect(await servedBy(test, { modelGroup: 'gpt', promptTokens: 100, maxTokens: 4_000 })).toBe('big');
    }
  });

  it('goes to the context window fallbacks when no deployment of the group fits', async () => {
    const test = harness(windows, { contextWindowFallbacks: { gpt: ['long'] } });
    expect(await servedBy(test, { modelGroup: 'gpt', promptTokens: 500_000 })).toBe('huge');
  });

  it('answers 400 when nothing fits and there is no fallback', async () => {
    const test = harness(windows);
    const outcome = await test.time.run(
      settle(test.router.execute({ modelGroup: 'gpt', promptTokens: 500_000 }, async () => 'never')),
    );
    expect((outcome.error as RouterError).code).toBe('GW_ERR_ROUTER_CONTEXT_WINDOW');
    expect((outcome.error as RouterError).status).toBe(400);
  });

  it('skips deployments lacking a capability the request needs', async () => {
    const test = harness([
      { id: 'no-tools', modelGroup: 'gpt', capabilities: { tools: false } },
      { id: 'tools', modelGroup: 'gpt', capabilities: { tools: true, vision: false } },
      { id: 'unknown', modelGroup: 'gpt' },
    ]);
    const seen = new Set<string>();
    for (let call = 0; call < 30; call++)
      seen.add(await servedBy(test, { modelGroup: 'gpt', requires: { tools: true } }));
    expect(seen).toEqual(new Set(['tools', 'unknown']));
    expect(await servedBy(test, { modelGroup: 'gpt', requires: { tools: true, vision: true } })).toBe(
      'unknown',
    );
  });

  it('respects rpm limits in the current minute, then answers 429', async () => {
    const test = harness([
      { id: 'a', modelGroup: 'gpt', rpm: 2 },
      { id: 'b', modelGroup: 'gpt', rpm: 1 },
    ]);
    const served = [];
    for (let call = 0; call < 3; call++) served.push(await servedBy(test, { modelGroup: 'gpt' }));
    expect(served.sort()).toEqual(['a', 'a', 'b']);
    const outcome = await test.time.run(settle(test.router.execute({ modelGroup: 'gpt' }, async () => 'x')));
    expect((outcome.error as RouterError).status).toBe(429);
    await test.time.advance(60_000);
    expect(['a', 'b']).toContain(await servedBy(test, { modelGroup: 'gpt' }));
  });

  it('respects tpm limits with the prompt about to be sent', async () => {
    const test = harness([
      { id: 'a', modelGroup: 'gpt', tpm: 1_000 },
      { id: 'b', modelGroup: 'gpt', tpm: 100_000 },
    ]);
    test.router.reportUsage('a', { promptTokens: 600, completionTokens: 100 });
    for (let call = 0; call < 10; call++)
      expect(await servedBy(test, { modelGroup: 'gpt', promptTokens: 400 })).toBe('b');
  });

  it('answers a prompt over every deployment tpm at once with 429 request too large, not a wait', async () => {
    const test = harness([
      { id: 'a', modelGroup: 'gpt', tpm: 1_000 },
      { id: 'b', modelGroup: 'gpt', tpm: 2_000 },
      { id: 'wide', modelGroup: 'wide', tpm: 1_000_000 },
    ]);
    const started = test.time.now;
    const outcome = await test.time.run(
      settle(test.router.execute({ modelGroup: 'gpt', promptTokens: 5_000 }, async () => 'x')),
    );
    const error = outcome.error as RouterError;
    expect(error.code).toBe('GW_ERR_ROUTER_REQUEST_TOO_LARGE');
    expect(error.status).toBe(429);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(/5000 prompt tokens exceed the tpm of every deployment \(at most 2000/);
    // A rate limit within the cap would have been waited out; this never fits, so no time passed.
    expect(test.time.now).toBe(started);
    // The deployments are fine for a request that fits, and the context window fallbacks take the large one.
    expect(await servedBy(test, { modelGroup: 'gpt', promptTokens: 500 })).toMatch(/^[ab]$/);
    const fallback = harness(
      [
        { id: 'a', modelGroup: 'gpt', tpm: 1_000 },
        { id: 'wide', modelGroup: 'wide', tpm: 1_000_000 },
      ],
      { contextWindowFallbacks: { gpt: ['wide'] } },
    );
    expect(await servedBy(fallback, { modelGroup: 'gpt', promptTokens: 5_000 })).toBe('wide');
  });

  const twoSingleSlots: Deployment[] = [
    { id: 'a', modelGroup: 'gpt', maxParallelRequests: 1 },
    { id: 'b', modelGroup: 'gpt', maxParallelRequests: 1 },
  ];

  /** Two calls that hold both slots for 100 ms. */
  function fillSlots(test: ReturnType<typeof harness>) {
    return [0, 1].map(() =>
      test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
        test.track(deployment);
        await test.time.sleep(100);
        return deployment.id;
      }),
    );
  }

  it('queues a call while every deployment is at its max parallel requests, as LiteLLM does', async () => {
    const test = harness(twoSingleSlots);
    const holding = fillSlots(test);
    await test.time.advance(0);
    let served: string | undefined;
    const third = test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
      test.track(deployment);
      served = deployment.id;
      return deployment.id;
    });
    await test.time.advance(99);
    expect(served).toBeUndefined();
    expect(test.tried).toHaveLength(2);
    await test.time.advance(1);
    const results = await test.time.run(Promise.all([...holding, third]));
    expect(
      results
        .map((result) => result.value)
        .slice(0, 2)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(['a', 'b']).toContain(served);
    expect(results[2]!.attempts).toBe(1);
  });

  it('queues calls without a signal of their own without listening on the shared never-aborting one', async () => {
    const test = harness(twoSingleSlots);
    const holding = fillSlots(test);
    await test.time.advance(0);
    const before = getEventListeners(neverAborts, 'abort').length;
    const queued = Array.from({ length: 12 }, () =>
      test.router.execute({ modelGroup: 'gpt' }, async (deployment) => deployment.id),
    );
    await test.time.advance(0);
    expect(getEventListeners(neverAborts, 'abort')).toHaveLength(before);
    const results = await test.time.run(Promise.all([...holding, ...queued]));
    expect(results).toHaveLength(14);
  });

  it('ends a queued call at its deadline, and on the caller abort', async () => {
    const test = harness(twoSingleSlots);
    const holding = fillSlots(test);
    await test.time.advance(0);
    const late = settle(test.router.execute({ modelGroup: 'gpt', deadlineMs: 30 }, async () => 'never'));
    const caller = new AbortController();
    const left = settle(
      test.router.execute({ modelGroup: 'gpt', signal: caller.signal }, async () => 'never'),
    );
    await test.time.advance(30);
    expect(((await late).error as RouterError).code).toBe('GW_ERR_ROUTER_DEADLINE');
    caller.abort(new Error('caller left'));
    expect(((await left).error as Error).message).toBe('caller left');
    await test.time.run(Promise.all(holding));
    // Neither waiting call reached a deployment, and nothing waits any more: the next call goes through at once.
    expect(test.tried).toHaveLength(2);
    expect((await test.time.run(test.router.execute({ modelGroup: 'gpt' }, async () => 'free'))).value).toBe(
      'free',
    );
  });
});

describe('priority tiers (order)', () => {
  const tiers: Deployment[] = [
    { id: 'backup-1', modelGroup: 'gpt', order: 2 },
    { id: 'primary-1', modelGroup: 'gpt', order: 1 },
    { id: 'primary-2', modelGroup: 'gpt', order: 1 },
    { id: 'unordered', modelGroup: 'gpt' },
  ];

  it('uses only the lowest order while it has a healthy deployment', async () => {
    const test = harness(tiers);
    const seen = new Set<string>();
    for (let call = 0; call < 40; call++) seen.add(await servedBy(test, { modelGroup: 'gpt' }));
    expect(seen).toEqual(new Set(['primary-1', 'primary-2']));
  });

  it('moves to the next tier only when the lower one has none healthy', async () => {
    const test = harness(tiers);
    test.router.reportFailure('primary-1', new UpstreamError({ status: 401 }));
    expect(await servedBy(test, { modelGroup: 'gpt' })).toBe('primary-2');
    test.router.reportFailure('primary-2', new UpstreamError({ status: 401 }));
    expect(await servedBy(test, { modelGroup: 'gpt' })).toBe('backup-1');
    test.router.reportFailure('backup-1', new UpstreamError({ status: 401 }));
    expect(await servedBy(test, { modelGroup: 'gpt' })).toBe('unordered');
  });
});
