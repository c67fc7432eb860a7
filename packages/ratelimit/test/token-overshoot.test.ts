import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/memory-store.ts';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { createRedisStore } from '../src/redis-store.ts';
import type { LimitSpec, Store } from '../src/types.ts';
import { connect, countingTimeoutMs, deleteKeys, uniquePrefix } from './redis-helpers.ts';
import { limitSpec } from './support/limit-spec.ts';

const client = connect();

afterAll(async () => {
  await client.quit();
});

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Outcome {
  committed: number;
  underestimate: number;
  denied: number;
}

/**
 * 64 concurrent callers reserve an estimate, "run" for a few event-loop turns and commit the actual count,
 * until every caller has been denied `deniesPerCaller` times.
 */
async function runCallers(
  store: Store,
  tpm: LimitSpec,
  actualFor: (estimate: number) => number,
): Promise<Outcome> {
  const limiter = createRateLimiter({ store });
  const outcome: Outcome = { committed: 0, underestimate: 0, denied: 0 };
  const estimate = 100;
  const caller = async () => {
    for (let denials = 0; denials < 3; ) {
      const { decision, reservation } = await limiter.reserve([tpm], { requests: 1, tokens: estimate });
      if (!decision.allowed) {
        denials++;
        outcome.denied++;
        continue;
      }
      const actual = actualFor(estimate);
      for (let turn = 0; turn < actual % 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      outcome.committed += actual;
      outcome.underestimate += Math.max(0, actual - estimate);
      await reservation!.commit(actual);
    }
  };
  await Promise.all(Array.from({ length: 64 }, caller));
  return outcome;
}

const stores: [string, () => { store: Store; cleanup: () => Promise<void> }][] = [
  ['MemoryStore', () => ({ store: createMemoryStore(), cleanup: async () => {} })],
  [
    'RedisStore',
    () => {
      const prefix = uniquePrefix();
      const store = createRedisStore({
        client,
        prefix,
        failurePolicy: 'fail-closed',
        timeoutMs: countingTimeoutMs,
      });
      return { store, cleanup: () => deleteKeys(client, prefix) };
    },
  ],
];

describe.each(stores)('TPM with reservations in flight (%s)', (_name, makeStore) => {
  const tpm: LimitSpec = limitSpec('key:tpm', 'k', 'sliding-window', 20_000, 3_600_000, 'tokens');

  it('never exceeds the limit when actual counts stay within their estimates', async () => {
    const { store, cleanup } = makeStore();
    const random = sequence(7);
    const outcome = await runCallers(store, tpm, (estimate) => Math.floor(estimate * (0.3 + 0.7 * random())));
    expect(outcome.denied).toBeGreaterThan(0);
    expect(outcome.committed).toBeLessThanOrEqual(20_000);
    // Tokens freed by small commits are reused, so far more than limit/estimate calls get in.
    expect(outcome.committed).toBeGreaterThan(19_800);
    await cleanup();
  });

  it('overshoots by no more than the underestimates of the reservations in flight', async () => {
    const { store, cleanup } = makeStore();
    const random = sequence(11);
    const outcome = await runCallers(store, tpm, (estimate) => Math.floor(estimate * (0.5 + random())));
    expect(outcome.denied).toBeGreaterThan(0);
    // Bound: every admission saw committed + held + estimate <= limit, so the excess at the end is at most
    // the sum over reservations of (actual - estimate) where positive.
    expect(outcome.committed).toBeLessThanOrEqual(20_000 + outcome.underestimate);
    // At the last admission at most 64 reservations were in flight, each at most 50 tokens under its estimate.
    expect(outcome.committed).toBeLessThanOrEqual(20_000 + 64 * 50);
    expect(outcome.committed).toBeGreaterThan(20_000 - 100);
    await cleanup();
  });
});
