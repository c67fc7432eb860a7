import { describe, expect, it } from 'vitest';
import type { MaybeAsyncStep } from '../../src/pipeline/hooks.ts';
import type { PipelineContext } from '../../src/pipeline/pipeline-context.ts';
import { runInOrder } from '../../src/pipeline/run-in-order.ts';

function context(): PipelineContext {
  return { response: undefined } as unknown as PipelineContext;
}

function recorder() {
  const seen: string[] = [];
  const now =
    (name: string): MaybeAsyncStep =>
    () => {
      seen.push(name);
      return undefined;
    };
  const later =
    (name: string): MaybeAsyncStep =>
    () =>
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => void seen.push(name));
  return { seen, now, later };
}

describe('runInOrder', () => {
  it('runs steps that never wait at once, with no promise', () => {
    const { seen, now } = recorder();
    expect(runInOrder(context(), [now('a'), now('b'), now('c')])).toBeUndefined();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('waits from the first step that waits on, in order', async () => {
    const { seen, now, later } = recorder();
    const running = runInOrder(context(), [now('a'), later('b'), now('c'), later('d'), now('e')]);
    expect(seen).toEqual(['a']);
    await running;
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it("returns the last step's own promise when the steps before it never waited", () => {
    const last = Promise.resolve();
    const { now } = recorder();
    expect(runInOrder(context(), [now('a'), () => last])).toBe(last);
  });

  it('skips the steps after one that sets the response, waiting or not', async () => {
    const ctx = context();
    const { seen, now } = recorder();
    const answer: MaybeAsyncStep = (ctx) => {
      ctx.response = { status: 200, headers: {}, body: 'local' };
      return undefined;
    };
    expect(runInOrder(ctx, [now('a'), answer, now('b')])).toBeUndefined();
    expect(seen).toEqual(['a']);
    const later = context();
    const waitingAnswer: MaybeAsyncStep = async (ctx) => {
      await new Promise((resolve) => setImmediate(resolve));
      ctx.response = { status: 200, headers: {}, body: 'cached' };
    };
    await runInOrder(later, [waitingAnswer, now('c')]);
    expect(seen).toEqual(['a']);
  });

  it('throws a step error where it happens: at once from a step that does not wait, as a rejection after one that did', async () => {
    const { seen, now, later } = recorder();
    const broken: MaybeAsyncStep = () => {
      throw new Error('refused');
    };
    expect(() => runInOrder(context(), [now('a'), broken, now('b')])).toThrow('refused');
    await expect(runInOrder(context(), [later('c'), broken, now('d')])).rejects.toThrow('refused');
    expect(seen).toEqual(['a', 'c']);
  });
});
