// After an answer: the `account` step, then the limit reservations settled with the usage, whatever the hook did.
import type { Logger } from 'pino';
import type { Step } from './hooks.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { settleLimits } from './settle-limits.ts';

/** `account` is the hooked account step; a failing account hook is logged, never fails an answer already made. */
export function reconcileUsage(account: Step, logger: Logger): (ctx: PipelineContext) => Promise<void> {
  return async (ctx) => {
    try {
      await account(ctx);
    } catch (error) {
      logger.error({ requestId: ctx.requestId, err: error }, 'account hook failed');
    } finally {
      settleLimits(ctx);
    }
  };
}
