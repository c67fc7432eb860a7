// After an answer: the `account` step, then the limit reservations settled with the usage, whatever the hook did.
import type { Logger } from 'pino';
import type { MaybeAsyncStep } from './hooks.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { settleLimits } from './settle-limits.ts';

/**
 * `account` is the hooked account step; a failing account hook is logged, never fails an answer already made. A
 * promise only when an account hook had something to wait for.
 */
export function reconcileUsage(account: MaybeAsyncStep, logger: Logger): MaybeAsyncStep {
  const failed = (ctx: PipelineContext, error: unknown) =>
    logger.error({ requestId: ctx.requestId, err: error }, 'account hook failed');
  return (ctx) => {
    let pending: Promise<void> | undefined;
    try {
      pending = account(ctx);
    } catch (error) {
      failed(ctx, error);
    }
    if (pending === undefined) {
      settleLimits(ctx);
      return undefined;
    }
    return pending.then(
      () => settleLimits(ctx),
      (error: unknown) => {
        failed(ctx, error);
        settleLimits(ctx);
      },
    );
  };
}
