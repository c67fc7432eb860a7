import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/memory-store.ts';
import { createRateLimiter } from '../src/rate-limiter.ts';
import type { LimitSpec } from '../src/types.ts';
import { describeStoreContract } from './store-contract.ts';
import { limitSpec } from './support/limit-spec.ts';

describeStoreContract('MemoryStore', async (clock) => {
  const store = createMemoryStore({ clock: () => clock.now });
  return { store, cleanup: () => store.close() };
});

function perKey(key: string): LimitSpec {
  return { name: 'key:rpm', key, algorithm: 'sliding-window', limit: 2, windowMs: 1_000, unit: 'requests' };
}

describe('MemoryStore', () => {
  it('sweeps expired keys lazily as new keys arrive', async () => {
    let now = 0;
    const store = createMemoryStore({ clock: () => now });
    const limiter = createRateLimiter({ store });
    for (let index = 0; index < 1_000; index++) await limiter.check([perKey(`a${index}`)], {});
    expect(store.stats().keys).toBe(1_000);
    now = 10_000;
    for (let index = 0; index < 1_000; index++) await limiter.check([perKey(`b${index}`)], {});
    expect(store.stats().keys).toBeLessThan(1_100);
    expect(store.stats().evictions).toBe(0);
  });

  it('never holds more than maxKeys, evicting keys not used recently', async () => {
    const store = createMemoryStore({ maxKeys: 100, clock: () => 0 });
    const limiter = createRateLimiter({ store });
    const hot = perKey('hot');
    await limiter.check([hot], {});
    for (let index = 0; index < 1_000; index++) {
      await limiter.check([perKey(`cold${index}`)], {});
      if (index % 10 === 0) await limiter.check([hot], { requests: 0 });
    }
    expect(store.stats().keys).toBeLessThanOrEqual(100);
    expect(store.stats().evictions).toBeGreaterThan(800);
    // The hot key kept its state: one of its two requests is still counted.
    expect((await limiter.check([hot], {})).allowed).toBe(true);
    expect((await limiter.check([hot], {})).allowed).toBe(false);
  });

  it('evicts keys holding reservations last, so tokens in flight stay counted', async () => {
    const store = createMemoryStore({ maxKeys: 10, clock: () => 0 });
    const limiter = createRateLimiter({ store });
    const tpm = (key: string): LimitSpec =>
      limitSpec('key:tpm', key, 'sliding-window', 100, 60_000, 'tokens');
    expect((await limiter.reserve([tpm('busy')], { tokens: 100 })).decision.allowed).toBe(true);
    for (let index = 0; index < 100; index++) await limiter.check([tpm(`one-off-${index}`)], { tokens: 1 });
    expect(store.stats().keys).toBeLessThanOrEqual(10);
    expect((await limiter.check([tpm('busy')], { tokens: 1 })).allowed).toBe(false);
  });

  it('restarts a key whose algorithm changed', async () => {
    const store = createMemoryStore({ clock: () => 0 });
    const limiter = createRateLimiter({ store });
    expect((await limiter.check([perKey('x')], { requests: 2 })).allowed).toBe(true);
    const asBucket: LimitSpec = { ...perKey('x'), algorithm: 'token-bucket' };
    expect((await limiter.check([asBucket], { requests: 2 })).allowed).toBe(true);
  });
});
