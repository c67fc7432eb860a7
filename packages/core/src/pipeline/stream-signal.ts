// The signal an upstream stream is read with: it outlives the routed attempt, so it follows the caller as well.
import { followAbort, neverAborts } from '@gw/router';
import type { PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';

/**
 * Once an attempt returns, the router stops forwarding the caller's abort to the attempt's own signal (a TTFT
 * timeout's), yet the stream goes on. This links the two by listeners that `endStreamSignal` removes when the
 * stream ends or fails to open. `AbortSignal.any` would instead register every stream with the caller's signal
 * for as long as that signal lives (Node 20 keeps the registrations), and the proxy's signal lives as long as a
 * keep-alive connection. A new link (a retry, a resumed stream) ends the one before it.
 */
export function streamSignal(ctx: PipelineContext, attemptSignal: AbortSignal): AbortSignal {
  if (ctx.signal === neverAborts || attemptSignal === ctx.signal) return attemptSignal;
  endStreamSignal(ctx);
  const linked = new AbortController();
  // The caller first: when both have aborted already, the stream ends with the caller's reason.
  const unlinkCaller = followAbort(ctx.signal, linked);
  const unlinkAttempt = followAbort(attemptSignal, linked);
  scratchOf(ctx).unlinkStream = () => {
    unlinkCaller();
    unlinkAttempt();
  };
  return linked.signal;
}

export function endStreamSignal(ctx: PipelineContext): void {
  const scratch = scratchOf(ctx);
  scratch.unlinkStream?.();
  scratch.unlinkStream = undefined;
}
