// The end of every request, answered or failed: the debug log line and the request metrics.
import { performance } from 'node:perf_hooks';
import type { RequestOutcome } from '../metrics/gateway-metrics.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';

export type FinishRequest = (
  ctx: PipelineContext,
  started: number,
  status: number,
  errorClass?: string,
  ttftMs?: number,
) => void;

export function finishRequest(runtime: GatewayRuntime): FinishRequest {
  const { metrics, metricsOn, groupSet } = runtime;
  // Checked once: building the log object per request is a cost when debug is off.
  const debugLogging = runtime.logger.isLevelEnabled('debug');
  return (ctx, started, status, errorClass, ttftMs) => {
    const durationMs = performance.now() - started;
    if (debugLogging) {
      ctx.log.debug(
        {
          requestId: ctx.requestId,
          operation: ctx.operation,
          status,
          modelGroup: ctx.servedGroup ?? ctx.modelGroup,
          deployment: ctx.deployment?.id,
          attempts: ctx.attempts,
          durationMs,
          inputTokens: ctx.usage?.inputTokens,
          outputTokens: ctx.usage?.outputTokens,
          // Counted by gw because the upstream reported none: the tokens are gw's count, not the provider's bill.
          usageCounted: ctx.usage === undefined ? undefined : ctx.usageCounted,
          costUsd: ctx.costUsd,
          errorClass,
        },
        'request finished',
      );
    }
    if (!metricsOn) return;
    const outcome: RequestOutcome = {
      operation: ctx.operation,
      modelGroup:
        ctx.servedGroup ??
        (ctx.modelGroup !== undefined && groupSet.has(ctx.modelGroup) ? ctx.modelGroup : '(none)'),
      deployment: ctx.deployment?.id ?? '(none)',
      status,
      stream: ctx.stream,
      durationSeconds: durationMs / 1000,
      overheadSeconds: Math.max(0, durationMs - scratchOf(ctx).upstreamMs) / 1000,
      attempts: ctx.attempts,
    };
    if (errorClass !== undefined) outcome.errorClass = errorClass;
    if (ttftMs !== undefined) outcome.ttftSeconds = ttftMs / 1000;
    if (ctx.usage !== undefined) {
      outcome.inputTokens = ctx.usage.inputTokens;
      outcome.outputTokens = ctx.usage.outputTokens;
    }
    if (ctx.costUsd !== undefined) outcome.costUsd = ctx.costUsd;
    metrics.requestFinished(outcome);
  };
}
