import { describe, expect, it } from 'vitest';
import { createRouter, type Deployment, RouterError, type Strategy } from '../src/index.ts';
import { seededRandom } from './support/seeded-random.ts';
import { UpstreamError } from './support/upstream-error.ts';
import { VirtualTime } from './support/virtual-time.ts';

const deployments: Deployment[] = [
  { id: 'a', modelGroup: 'gpt' },
  { id: 'b', modelGroup: 'gpt' },
  { id: 'c', modelGroup: 'claude' },
];

describe('createRouter().execute', () => {
  it('runs the attempt on a deployment of the requested group and reports it', async () => {
    const time = new VirtualTime();
    const router = createRouter({ deployments, clock: time.clock, timers: time, random: seededRandom(1) });
    const result = await time.run(
      router.execute({ modelGroup: 'gpt' }, async (deployment) => `served by ${deployment.id}`),
    );
    expect(['a', 'b']).toContain(result.deployment.id);
    expect(result.value).toBe(`served by ${result.deployment.id}`);
    expect(result.modelGroup).toBe('gpt');
    expect(result.attempts).toBe(1);
  });

  it('rejects an unknown model group with a 404 naming the known ones', async () => {
    const router = createRouter({ deployments });
    const failure = await router
      .execute({ modelGroup: 'nope' }, async () => 1)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RouterError);
    expect((failure as RouterError).code).toBe('GW_ERR_ROUTER_NO_DEPLOYMENT');
    expect((failure as RouterError).status).toBe(404);
    expect((failure as RouterError).message).toContain('gpt');
  });

  it('retries a 5xx on the other deployment of the group', async () => {
    const time = new VirtualTime();
    const router = createRouter({ deployments, clock: time.clock, timers: time, random: seededRandom(2) });
    const tried: string[] = [];
    const result = await time.run(
      router.execute({ modelGroup: 'gpt' }, async (deployment) => {
        tried.push(deployment.id);
        if (tried.length === 1) throw new UpstreamError({ status: 500 });
        return 'ok';
      }),
    );
    expect(result.attempts).toBe(2);
    expect(tried[1]).not.toBe(tried[0]);
  });

  it('falls back to the next group once the group retries are spent', async () => {
    const time = new VirtualTime();
    const router = createRouter({
      deployments,
      numRetries: 1,
      fallbacks: { gpt: ['claude'] },
      clock: time.clock,
      timers: time,
      random: seededRandom(3),
    });
    const tried: string[] = [];
    const result = await time.run(
      router.execute({ modelGroup: 'gpt' }, async (deployment) => {
        tried.push(deployment.id);
        if (deployment.modelGroup === 'gpt') throw new UpstreamError({ status: 503 });
        return 'from fallback';
      }),
    );
    expect(tried).toHaveLength(3);
    expect(tried[2]).toBe('c');
    expect(result.modelGroup).toBe('claude');
    expect(result.value).toBe('from fallback');
  });

  it('rejects a fallback list naming an unknown group at construction', () => {
    expect(() => createRouter({ deployments, fallbacks: { gpt: ['missing'] } })).toThrow(/missing/);
  });

  it('lists groups and deployments', () => {
    const router = createRouter({ deployments });
    expect(router.groups()).toEqual(['gpt', 'claude']);
    expect(router.deployments('gpt').map((deployment) => deployment.id)).toEqual(['a', 'b']);
    expect(router.deployments()).toHaveLength(3);
  });
});

describe('custom strategies', () => {
  it('routes with a Strategy object the caller supplies', async () => {
    const time = new VirtualTime();
    const lastFirst: Strategy = {
      name: 'last-member',
      createPicker: (members) => ({
        pick(context) {
          for (let index = members.length - 1; index >= 0; index--) {
            const candidate = members[index];
            if (candidate !== undefined && context.eligible(candidate)) return candidate;
          }
          return undefined;
        },
      }),
    };
    const router = createRouter({ deployments, strategy: lastFirst, clock: time.clock, timers: time });
    for (let call = 0; call < 5; call++) {
      const result = await time.run(
        router.execute({ modelGroup: 'gpt' }, async (deployment) => deployment.id),
      );
      expect(result.value).toBe('b');
    }
  });
});

describe('excluded deployments', () => {
  it('never tries a deployment the request excludes, and moves on when nothing else is left', async () => {
    const time = new VirtualTime();
    const router = createRouter({
      deployments,
      fallbacks: { gpt: ['claude'] },
      clock: time.clock,
      timers: time,
      random: seededRandom(4),
    });
    for (let call = 0; call < 10; call++) {
      const result = await time.run(
        router.execute({ modelGroup: 'gpt', exclude: ['a'] }, async (deployment) => deployment.id),
      );
      expect(result.value).toBe('b');
    }
    const moved = await time.run(
      router.execute({ modelGroup: 'gpt', exclude: ['a', 'b'] }, async (deployment) => deployment.id),
    );
    expect(moved.value).toBe('c');
    expect(router.state().deployments.every((state) => state.breaker === 'closed')).toBe(true);
  });
});

describe('load-aware strategies see the router own in-flight counts', () => {
  it.each(['least-busy', 'p2c-peak-ewma'] as const)(
    '%s sends new calls to the idle deployment',
    async (strategy) => {
      const time = new VirtualTime();
      const router = createRouter({
        deployments: [
          { id: 'x', modelGroup: 'm' },
          { id: 'y', modelGroup: 'm' },
        ],
        strategy,
        clock: time.clock,
        timers: time,
        random: seededRandom(8),
      });
      const first = router.execute({ modelGroup: 'm' }, async (deployment) => {
        await time.sleep(1_000);
        return deployment.id;
      });
      await time.advance(0);
      const busy = router.state().deployments.find((state) => state.inFlight === 1)?.id;
      for (let call = 0; call < 10; call++) {
        const result = await time.run(
          router.execute({ modelGroup: 'm' }, async (deployment) => deployment.id),
        );
        expect(result.value).not.toBe(busy);
      }
      expect((await time.run(first)).value).toBe(busy);
    },
  );
});
