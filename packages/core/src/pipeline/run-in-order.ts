// Runs the pipeline's steps one after another, synchronously until one of them has something to wait for.
import type { MaybeAsyncStep } from './hooks.ts';
import type { PipelineContext } from './pipeline-context.ts';

/**
 * A step that sets `ctx.response` answers the request: the steps after it are skipped. A promise is made only
 * from the first step that waits on, and the last step's promise is returned as it is, so a request whose steps
 * before routing never wait is awaited on routing itself, with no async frame of the pipeline's own around it.
 */
export function runInOrder(
  ctx: PipelineContext,
  steps: readonly MaybeAsyncStep[],
  from = 0,
): Promise<void> | undefined {
  for (let index = from; index < steps.length; index++) {
    if (ctx.response !== undefined) return undefined;
    const pending = steps[index]!(ctx);
    if (pending === undefined) continue;
    if (index === steps.length - 1) return pending;
    const next = index + 1;
    return pending.then(() => runInOrder(ctx, steps, next));
  }
  return undefined;
}
