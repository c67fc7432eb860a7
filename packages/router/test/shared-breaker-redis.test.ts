import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisBreakerStore, createRouter, type Deployment, type Router } from '../src/index.ts';
import { UpstreamError } from './support/upstream-error.ts';

const deployments: Deployment[] = [
  { id: 'east', modelGroup: 'gpt' },
  { id: 'west', modelGroup: 'gpt' },
];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function instance(prefix: string): Router {
  const client = new Redis({ host: '127.0.0.1', port: 6379 });
  const breakerStore = createRedisBreakerStore({ client, prefix, syncIntervalMs: 50 });
  const router = createRouter({ deployments, breakerStore, numRetries: 1 });
  cleanups.push(
    () => client.quit(),
    () => breakerStore.close(),
    () => router.close(),
  );
  return router;
}

async function until(condition: () => boolean): Promise<void> {
  // Polls Redis-backed state; the test asserts the outcome, never how long it took.
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('breaker state shared through Redis', () => {
  it('a deployment rate limited on one instance is avoided by the other', async () => {
    const prefix = `gw-test:router:${randomUUID()}`;
    cleanups.push(async () => {
      const cleaner = new Redis({ host: '127.0.0.1', port: 6379 });
      await cleaner.del(`${prefix}:breakers`);
      await cleaner.quit();
    });
    const first = instance(prefix);
    const second = instance(prefix);
    const triedByFirst: string[] = [];
    while (!triedByFirst.includes('east')) {
      await first.execute({ modelGroup: 'gpt' }, async (deployment) => {
        triedByFirst.push(deployment.id);
        if (deployment.id === 'east') throw new UpstreamError({ status: 429, retryAfterMs: 120_000 });
        return 'ok';
      });
    }
    const eastOf = (router: Router) => router.state().deployments.find((state) => state.id === 'east');
    expect(eastOf(first)?.breaker).toBe('open');
    await until(() => eastOf(second)?.breaker === 'open');
    expect(eastOf(second)?.openReason).toBe('rate_limit');
    const servedBySecond = new Set<string>();
    for (let call = 0; call < 20; call++) {
      const result = await second.execute({ modelGroup: 'gpt' }, async (deployment) => deployment.id);
      servedBySecond.add(result.value);
    }
    expect(servedBySecond).toEqual(new Set(['west']));
  });

  it('a breaker closed by a successful probe on one instance reopens traffic on the other', async () => {
    const prefix = `gw-test:router:${randomUUID()}`;
    cleanups.push(async () => {
      const cleaner = new Redis({ host: '127.0.0.1', port: 6379 });
      await cleaner.del(`${prefix}:breakers`);
      await cleaner.quit();
    });
    const setup = new Redis({ host: '127.0.0.1', port: 6379 });
    cleanups.push(() => setup.quit());
    // A trip that has already expired: both instances see the deployment half-open.
    await setup.hset(`${prefix}:breakers`, 'east', `${Date.now() - 1}|upstream_5xx`);
    const first = instance(prefix);
    const second = instance(prefix);
    const eastOf = (router: Router) => router.state().deployments.find((state) => state.id === 'east');
    await until(() => eastOf(first)?.breaker === 'half-open' && eastOf(second)?.breaker === 'half-open');
    while (eastOf(first)?.breaker !== 'closed') {
      await first.execute({ modelGroup: 'gpt' }, async (deployment) => deployment.id);
    }
    await until(() => eastOf(second)?.breaker === 'closed');
    expect(await setup.hget(`${prefix}:breakers`, 'east')).toBeNull();
  });
});
