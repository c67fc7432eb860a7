// The tokens a request is reserved for before the call, and the settlement of its reservations after it.
import type { PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { maxTokensOf } from './request-facts.ts';

/** Prompt tokens plus the output budget the caller asked for: what the limits hold until the answer is known. */
export function estimateTokens(ctx: PipelineContext): number {
  return (ctx.promptTokens ?? 0) + (maxTokensOf(ctx.request) ?? 0);
}

/**
 * Settles the reservations with the tokens used (the estimate when unknown), so no slot or hold leaks; the
 * caller's budgets with the answer's cost.
 */
export function settleLimits(ctx: PipelineContext): void {
  const usage = ctx.usage;
  const total = usage === undefined ? estimateTokens(ctx) : usage.inputTokens + usage.outputTokens;
  const scratch = scratchOf(ctx);
  scratch.grant?.commit(total, ctx.costUsd);
  scratch.callResult?.deploymentGrant?.commit(total);
  // Each deployment a stream resumed on read the whole prompt again and wrote part of the answer.
  if (scratch.resumeGrants !== undefined) for (const grant of scratch.resumeGrants) grant.commit(total);
}
