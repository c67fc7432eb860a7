import { describe, expect, it } from 'vitest';
import type { Deployment, RouterError } from '../src/index.ts';
import { harness, settle } from './support/harness.ts';
import { UpstreamError } from './support/upstream-error.ts';

const pair: Deployment[] = [
  { id: 'a', modelGroup: 'gpt' },
  { id: 'b', modelGroup: 'gpt' },
];

describe('deadline', () => {
  it('bounds a hanging attempt and aborts its signal', async () => {
    const test = harness(pair);
    let signal: AbortSignal | undefined;
    const started = test.time.now;
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'gpt', deadlineMs: 2_000 }, (_deployment, context) => {
          signal = context.signal;
          return new Promise<string>(() => {});
        }),
      ),
    );
    const error = outcome.error as RouterError;
    expect(error.code).toBe('GW_ERR_ROUTER_DEADLINE');
    expect(error.status).toBe(504);
    expect(test.time.now - started).toBe(2_000);
    expect(signal?.aborted).toBe(true);
  });

  it('bounds retries and backoff, keeping the upstream error as the cause', async () => {
    const test = harness([{ id: 'only', modelGroup: 'gpt' }], {
      numRetries: 50,
      backoff: { baseMs: 1_000, maxMs: 1_000 },
      breaker: { consecutiveFailures: 1_000, failureRatio: 2 },
      random: () => 0.99,
    });
    const upstream = new UpstreamError({ status: 503 });
    const started = test.time.now;
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'gpt', deadlineMs: 5_500 }, async (deployment) => {
          test.track(deployment);
          throw upstream;
        }),
      ),
    );
    const error = outcome.error as RouterError;
    expect(error.code).toBe('GW_ERR_ROUTER_DEADLINE');
    expect(error.cause).toBe(upstream);
    expect(test.time.now - started).toBe(5_500);
    expect(test.tried.length).toBeGreaterThan(1);
    expect(test.tried.length).toBeLessThan(10);
  });

  it('applies the router default deadline when the request has none', async () => {
    const test = harness(pair, { deadlineMs: 700 });
    const outcome = await test.time.run(
      settle(test.router.execute({ modelGroup: 'gpt' }, () => new Promise<string>(() => {}))),
    );
    expect((outcome.error as RouterError).code).toBe('GW_ERR_ROUTER_DEADLINE');
  });

  it('stops at once on the caller abort, with no retry', async () => {
    const test = harness(pair);
    const controller = new AbortController();
    const call = settle(
      test.router.execute({ modelGroup: 'gpt', signal: controller.signal }, (deployment) => {
        test.track(deployment);
        return new Promise<string>(() => {});
      }),
    );
    await test.time.advance(10);
    controller.abort(new Error('client went away'));
    const outcome = await test.time.run(call);
    expect((outcome.error as Error).message).toBe('client went away');
    expect(test.tried).toHaveLength(1);
    expect(test.router.state().deployments.every((state) => state.inFlight === 0)).toBe(true);
  });
});

describe('caller signal', () => {
  it('wins over a later deadline', async () => {
    const test = harness(pair);
    const controller = new AbortController();
    const call = settle(
      test.router.execute(
        {
          modelGroup: 'gpt',
          signal: controller.signal,
          deadlineMs: 10_000,
          stream: true,
          ttftTimeoutMs: 5_000,
        },
        (deployment, context) => {
          test.track(deployment);
          return new Promise<string>((_resolve, reject) => {
            context.signal.addEventListener('abort', () => reject(context.signal.reason));
          });
        },
      ),
    );
    await test.time.advance(100);
    controller.abort(new Error('gone'));
    const outcome = await test.time.run(call);
    expect((outcome.error as Error).message).toBe('gone');
    expect(test.tried).toHaveLength(1);
    expect(test.time.pending).toBe(0);
  });

  it('rejects an already aborted call without reaching a deployment', async () => {
    const test = harness(pair, { deadlineMs: 1_000 });
    const outcome = await test.time.run(
      settle(
        test.router.execute(
          { modelGroup: 'gpt', signal: AbortSignal.abort(new Error('too late')) },
          async (deployment) => {
            test.track(deployment);
            return 'never';
          },
        ),
      ),
    );
    expect((outcome.error as Error).message).toBe('too late');
    expect(test.tried).toEqual([]);
  });
});

describe('streams', () => {
  it('retries a stream that fails before its first byte', async () => {
    const test = harness(pair);
    const result = await test.time.run(
      test.router.execute({ modelGroup: 'gpt', stream: true }, async (deployment, context) => {
        test.track(deployment);
        if (test.tried.length === 1) throw new UpstreamError({ status: 502 });
        context.markFirstByte();
        return 'stream';
      }),
    );
    expect(result.attempts).toBe(2);
  });

  it('never retries a stream that fails after its first byte, and flags it', async () => {
    const test = harness(pair);
    const upstream = new UpstreamError({ status: 500 });
    const outcome = await test.time.run(
      settle(
        test.router.execute({ modelGroup: 'gpt', stream: true }, async (deployment, context) => {
          test.track(deployment);
          context.markFirstByte();
          throw upstream;
        }),
      ),
    );
    const error = outcome.error as RouterError;
    expect(error.code).toBe('GW_ERR_ROUTER_STREAM_INTERRUPTED');
    expect(error.afterFirstByte).toBe(true);
    expect(error.errorClass).toBe('upstream_5xx');
    expect(error.cause).toBe(upstream);
    expect(test.tried).toHaveLength(1);
  });

  it('fails over when the first token is later than the TTFT timeout', async () => {
    const test = harness(pair, { ttftTimeoutMs: 1_000 });
    let slowSignal: AbortSignal | undefined;
    const result = await test.time.run(
      test.router.execute({ modelGroup: 'gpt', stream: true }, async (deployment, context) => {
        test.track(deployment);
        if (test.tried.length === 1) {
          slowSignal = context.signal;
          return new Promise<string>(() => {});
        }
        await test.time.sleep(200);
        context.markFirstByte();
        return deployment.id;
      }),
    );
    expect(slowSignal?.aborted).toBe(true);
    expect(result.attempts).toBe(2);
    expect(result.ttftMs).toBe(200);
    expect((test.startedAt[1] as number) - (test.startedAt[0] as number)).toBe(1_000);
    const slow = test.router.state().deployments.find((state) => state.id === test.tried[0]);
    expect(slow?.failures).toBe(1);
  });

  it('lets a stream run past the TTFT timeout once the first byte arrived', async () => {
    const test = harness(pair, { ttftTimeoutMs: 1_000 });
    const result = await test.time.run(
      test.router.execute({ modelGroup: 'gpt', stream: true }, async (_deployment, context) => {
        await test.time.sleep(500);
        context.markFirstByte();
        await test.time.sleep(5_000);
        return 'long stream';
      }),
    );
    expect(result.value).toBe('long stream');
    expect(result.attempts).toBe(1);
    expect(result.latencyMs).toBe(5_500);
  });
});
