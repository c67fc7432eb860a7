import { describe, expect, it } from 'vitest';
import type { Deployment, ErrorClass, RouterError } from '../src/index.ts';
import { harness, settle } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

const deployments: Deployment[] = [
  { id: 'p1', modelGroup: 'primary' },
  { id: 'p2', modelGroup: 'primary' },
  { id: 'backup', modelGroup: 'backup' },
  { id: 'large', modelGroup: 'large' },
  { id: 'lenient', modelGroup: 'lenient' },
];

const routing = {
  numRetries: 2,
  fallbacks: { primary: ['backup'] },
  contextWindowFallbacks: { primary: ['large'] },
  contentPolicyFallbacks: { primary: ['lenient'] },
};

interface Expectation {
  errorClass: ErrorClass;
  /** Attempts on the primary group before moving on. */
  primaryAttempts: number;
  /** The group that serves the call, or undefined when the error goes back to the caller. */
  servedBy: string | undefined;
}

const expectations: Expectation[] = [
  // Transient: both deployments, then a third attempt (retries: 2), then the fallback group.
  { errorClass: 'timeout', primaryAttempts: 3, servedBy: 'backup' },
  { errorClass: 'connection', primaryAttempts: 3, servedBy: 'backup' },
  { errorClass: 'upstream_5xx', primaryAttempts: 3, servedBy: 'backup' },
  { errorClass: 'unknown', primaryAttempts: 3, servedBy: 'backup' },
  // A 429 opens each breaker; the third try waits out the cooldown (under the cap) and probes.
  { errorClass: 'rate_limit', primaryAttempts: 3, servedBy: 'backup' },
  // Auth and not-found open the breaker at once: after both deployments nothing is left to retry.
  { errorClass: 'auth', primaryAttempts: 2, servedBy: 'backup' },
  { errorClass: 'not_found', primaryAttempts: 2, servedBy: 'backup' },
  // The request is at fault: no retry, no fallback.
  { errorClass: 'bad_request', primaryAttempts: 1, servedBy: undefined },
  { errorClass: 'aborted', primaryAttempts: 1, servedBy: undefined },
  // Never repeated on the group: straight to the dedicated fallback list.
  { errorClass: 'context_window_exceeded', primaryAttempts: 1, servedBy: 'large' },
  { errorClass: 'content_policy', primaryAttempts: 1, servedBy: 'lenient' },
];

describe('retry and fallback path of every error class', () => {
  it.each(expectations)(
    '$errorClass: $primaryAttempts attempt(s) on the group, then $servedBy',
    async (expected) => {
      const test = harness(deployments, routing);
      const upstream = new UpstreamError({ errorClass: expected.errorClass });
      const outcome = await test.time.run(
        settle(
          test.router.execute({ modelGroup: 'primary' }, async (deployment) => {
            test.track(deployment);
            if (deployment.modelGroup === 'primary') throw upstream;
            return deployment.modelGroup;
          }),
        ),
      );
      const primary = test.tried.filter((id) => id.startsWith('p'));
      expect(primary).toHaveLength(expected.primaryAttempts);
      if (expected.primaryAttempts >= 2) expect(new Set(primary.slice(0, 2)).size).toBe(2);
      if (expected.servedBy === undefined) {
        expect(outcome.error).toBe(upstream);
        expect(test.tried).toHaveLength(expected.primaryAttempts);
      } else {
        expect(outcome.value?.value).toBe(expected.servedBy);
        expect(outcome.value?.modelGroup).toBe(expected.servedBy);
      }
    },
  );

  it('sends the original upstream error back when the fallbacks fail too', async () => {
    const test = harness(deployments, { ...routing, numRetries: 0 });
    const original = new UpstreamError({ status: 503, message: 'primary down' });
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'primary' }, async (deployment) => {
          test.track(deployment);
          if (deployment.modelGroup === 'primary') throw original;
          throw new UpstreamError({ status: 500, message: 'backup down' });
        }),
      ),
    );
    expect(test.tried).toEqual([expect.stringMatching(/^p/), 'backup']);
    expect(outcome.error).toBe(original);
  });

  it('tries the fallback groups in their order, each with its own retries', async () => {
    const test = harness([...deployments, { id: 'second', modelGroup: 'second' }], {
      numRetries: 1,
      fallbacks: { primary: ['backup', 'second'] },
    });
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'primary' }, async (deployment) => {
          test.track(deployment);
          if (deployment.id !== 'second') throw new UpstreamError({ status: 500 });
          return 'ok';
        }),
      ),
    );
    expect(test.tried.slice(2)).toEqual(['backup', 'backup', 'second']);
    expect(outcome.value?.attempts).toBe(5);
  });

  it('uses the wildcard fallback list for groups without their own', async () => {
    const test = harness(deployments, { numRetries: 0, fallbacks: { '*': ['backup'] } });
    const result = await test.time.run(
      test.router.execute({ modelGroup: 'large' }, async (deployment) => {
        if (deployment.id === 'large') throw new UpstreamError({ status: 502 });
        return deployment.id;
      }),
    );
    expect(result.value).toBe('backup');
  });

  it('tries each group once per call, even when the wildcard list names the requested group or a list repeats one', async () => {
    const test = harness(deployments, {
      numRetries: 0,
      fallbacks: { '*': ['backup', 'large'], large: ['large', 'backup', 'backup', 'lenient'] },
    });
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'backup' }, async (deployment) => {
          test.track(deployment);
          throw new UpstreamError({ status: 503 });
        }),
      ),
    );
    expect(test.tried).toEqual(['backup', 'large']);
    expect(outcome.value).toBeUndefined();

    test.tried.length = 0;
    await test.time.advance(60_000);
    await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'large' }, async (deployment) => {
          test.track(deployment);
          throw new UpstreamError({ status: 503 });
        }),
      ),
    );
    expect(test.tried).toEqual(['large', 'backup', 'lenient']);
  });

  it('honours a custom retry policy and classifier', async () => {
    const test = harness(deployments, {
      ...routing,
      retryPolicy: { upstream_5xx: { retries: 0, fallback: false } },
      classify: () => ({ errorClass: 'upstream_5xx' }),
    });
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'primary' }, async (deployment) => {
          test.track(deployment);
          throw new Error('opaque');
        }),
      ),
    );
    expect(test.tried).toHaveLength(1);
    expect((outcome.error as Error).message).toBe('opaque');
  });

  it('gives a model group its own retry policy in place of the router-wide one', async () => {
    const test = harness(
      [
        { id: 'strict-1', modelGroup: 'strict' },
        { id: 'strict-2', modelGroup: 'strict' },
        { id: 'loose-1', modelGroup: 'loose' },
        { id: 'loose-2', modelGroup: 'loose' },
      ],
      {
        numRetries: 3,
        retryPolicy: { rate_limit: { retries: 1, fallback: false } },
        groupRetryPolicies: { strict: { rate_limit: { retries: 0, fallback: false } } },
      },
    );
    const failing = (group: string, status: number) =>
      test.time.run(
        settle(
          test.router.execute({ modelGroup: group }, async (deployment) => {
            test.track(deployment);
            throw new UpstreamError({ status });
          }),
        ),
      );
    await failing('strict', 429);
    expect(test.tried).toHaveLength(1);
    test.tried.length = 0;
    await failing('loose', 429);
    expect(test.tried).toHaveLength(2);
    test.tried.length = 0;
    // A class the group's policy leaves out gets the default, with numRetries: three retries of a 5xx.
    const other = harness(
      [
        { id: 'a', modelGroup: 'strict' },
        { id: 'b', modelGroup: 'strict' },
      ],
      {
        numRetries: 3,
        breaker: { consecutiveFailures: 100 },
        groupRetryPolicies: { strict: { rate_limit: { retries: 0, fallback: false } } },
      },
    );
    await other.time.run(
      settle(
        other.router.execute({ modelGroup: 'strict' }, async (deployment) => {
          other.track(deployment);
          throw new UpstreamError({ status: 500 });
        }),
      ),
    );
    expect(other.tried).toHaveLength(4);
  });

  it('refuses a group retry policy for a model group without deployments', () => {
    expect(() =>
      harness([{ id: 'a', modelGroup: 'real' }], {
        groupRetryPolicies: { typo: { rate_limit: { retries: 0, fallback: false } } },
      }),
    ).toThrow(/groupRetryPolicies names model group "typo"/);
  });

  it('classifies with the built-in rules when a custom classifier throws, so a half-open deployment recovers', async () => {
    const test = harness([{ id: 'only', modelGroup: 'solo' }], {
      numRetries: 0,
      breaker: { cooldownMs: 5_000 },
      classify: () => {
        throw new TypeError('classifier bug');
      },
    });
    const failing = () =>
      test.time.run(
        settle(
          test.router.execute({ modelGroup: 'solo' }, async (deployment) => {
            test.track(deployment);
            throw new UpstreamError({ status: 401 });
          }),
        ),
      );
    // The caller gets the upstream's error, classified as auth (which opens the breaker at once).
    expect((await failing()).error).toBeInstanceOf(UpstreamError);
    await test.time.advance(5_000);
    // The half-open probe fails too; its slot must be given back, or the deployment never gets traffic again.
    expect((await failing()).error).toBeInstanceOf(UpstreamError);
    await test.time.advance(5_000);
    const recovered = await test.time.run(test.router.execute({ modelGroup: 'solo' }, async () => 'back'));
    expect(recovered.value).toBe('back');
  });

  it('never sends a context window error back to the deployment that raised it', async () => {
    const test = harness([{ id: 'only', modelGroup: 'solo' }], {
      retryPolicy: { context_window_exceeded: { retries: 3, fallback: false } },
    });
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'solo' }, async (deployment) => {
          test.track(deployment);
          throw new UpstreamError({ status: 400, code: 'context_length_exceeded' });
        }),
      ),
    );
    expect(test.tried).toEqual(['only']);
    expect(outcome.error).toBeInstanceOf(Error);
  });

  it('answers 503 without calling the upstream when every deployment is down for a non-rate-limit reason', async () => {
    const test = harness([{ id: 'only', modelGroup: 'solo' }], { numRetries: 0 });
    await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'solo' }, async () => {
          throw new UpstreamError({ status: 401 });
        }),
      ),
    );
    const second = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'solo' }, async (deployment) => {
          test.track(deployment);
          return 'never';
        }),
      ),
    );
    expect(test.tried).toEqual([]);
    expect((second.error as RouterError).code).toBe('GW_ERR_ROUTER_NO_HEALTHY_DEPLOYMENT');
    expect((second.error as RouterError).status).toBe(503);
  });
});
