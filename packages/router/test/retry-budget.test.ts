import { describe, expect, it } from 'vitest';
import type { Deployment } from '../src/index.ts';
import { RetryBudget } from '../src/retry-budget.ts';
import { harness, settle } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

describe('RetryBudget', () => {
  it('allows retries up to the ratio of requests in the window', () => {
    const budget = new RetryBudget({ ratio: 0.2, windowMs: 10_000 });
    for (let request = 0; request < 10; request++) budget.recordRequest(1_000);
    expect(budget.tryRetry(1_000)).toBe(true);
    expect(budget.tryRetry(1_000)).toBe(true);
    expect(budget.tryRetry(1_000)).toBe(false);
  });

  it('forgets requests and retries once they leave the window', () => {
    const budget = new RetryBudget({ ratio: 0.5, windowMs: 10_000 });
    for (let request = 0; request < 4; request++) budget.recordRequest(1_000);
    expect(budget.tryRetry(1_000)).toBe(true);
    expect(budget.tryRetry(1_000)).toBe(true);
    expect(budget.tryRetry(1_000)).toBe(false);
    expect(budget.tryRetry(12_000)).toBe(false); // the requests are gone too
    budget.recordRequest(12_000);
    budget.recordRequest(12_000);
    expect(budget.tryRetry(12_000)).toBe(true);
    expect(budget.snapshot(12_000)).toEqual({ requests: 2, retries: 1 });
  });

  it('keeps a floor of retries per second for a quiet gateway', () => {
    const budget = new RetryBudget({ ratio: 0, windowMs: 10_000, minRetriesPerSecond: 0.3 });
    expect(budget.tryRetry(5_000)).toBe(true);
    expect(budget.tryRetry(5_000)).toBe(true);
    expect(budget.tryRetry(5_000)).toBe(true);
    expect(budget.tryRetry(5_000)).toBe(false);
  });
});

describe('retry budget in the router', () => {
  const deployments: Deployment[] = [
    { id: 'a', modelGroup: 'gpt' },
    { id: 'b', modelGroup: 'gpt' },
    { id: 'c', modelGroup: 'backup' },
  ];

  it('stops a retry storm: once spent, the original error goes back without retry or fallback', async () => {
    const test = harness(deployments, {
      numRetries: 3,
      fallbacks: { gpt: ['backup'] },
      retryBudget: { ratio: 0.1, windowMs: 60_000 },
      breaker: { consecutiveFailures: 1_000, failureRatio: 2 },
    });
    const outcomes: { attempts: number; error: unknown }[] = [];
    for (let call = 0; call < 30; call++) {
      let attempts = 0;
      const outcome = await test.time.run(
        settle(
          test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
            attempts++;
            if (deployment.modelGroup === 'gpt')
              throw new UpstreamError({ status: 500, message: `call ${call}` });
            return 'ok';
          }),
        ),
      );
      outcomes.push({ attempts, error: outcome.error });
    }
    const extra = outcomes.reduce((sum, outcome) => sum + outcome.attempts - 1, 0);
    expect(extra).toBeLessThanOrEqual(3); // 10% of 30 requests
    const refused = outcomes.filter((outcome) => outcome.attempts === 1);
    expect(refused.length).toBeGreaterThanOrEqual(27);
    for (const [call, outcome] of outcomes.entries()) {
      if (outcome.attempts === 1) expect((outcome.error as Error).message).toBe(`call ${call}`);
    }
    expect(test.router.state().retryBudget?.requests).toBe(30);
  });
});
