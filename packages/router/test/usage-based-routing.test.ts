import { describe, expect, it } from 'vitest';
import { createLocalUsageSource, type Deployment } from '../src/index.ts';
import { harness } from './support/harness.ts';

const limited: Deployment[] = [
  { id: 'a', modelGroup: 'gpt', rpm: 100 },
  { id: 'b', modelGroup: 'gpt', rpm: 100 },
  { id: 'c', modelGroup: 'gpt', rpm: 100 },
];

describe('usage-based-routing in the router', () => {
  it('sees its own usage at once and keeps the deployments level', async () => {
    const test = harness(limited, { strategy: 'usage-based-routing' });
    for (let call = 0; call < 30; call++) {
      await test.time.run(
        test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
          test.track(deployment);
          return 'ok';
        }),
      );
    }
    expect(test.router.state().deployments.map((state) => state.rpmUsed)).toEqual([10, 10, 10]);
  });

  it('picks up usage other instances put in a shared source after its refresh interval', async () => {
    const usage = createLocalUsageSource();
    const test = harness(limited, {
      strategy: 'usage-based-routing',
      usage,
      strategyOptions: { usageRefreshMs: 1_000 },
    });
    await test.time.run(test.router.execute({ modelGroup: 'gpt' }, async () => 'warm'));
    usage.record('a', 0, 0, test.time.now);
    usage.record('b', 60, 0, test.time.now); // another instance's traffic
    usage.record('c', 60, 0, test.time.now);
    await test.time.advance(1_000);
    for (let call = 0; call < 20; call++) {
      await test.time.run(
        test.router.execute({ modelGroup: 'gpt' }, async (deployment) => {
          test.track(deployment);
          return 'ok';
        }),
      );
    }
    expect(new Set(test.tried)).toEqual(new Set(['a']));
  });
});
