// A streamed answer: the relayed stream with the gw headers, resumed elsewhere when allowed, accounted at its end.
import { performance } from 'node:perf_hooks';
import { toFailure } from './error-status.ts';
import type { FinishRequest } from './finish-request.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { MaybeAsyncStep } from './hooks.ts';
import type { GatewayResponse, PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { gatewayHeaders } from './response-headers.ts';
import { relayStream, type StreamEndResult, type StreamResumer } from './stream-relay.ts';
import { resumeStream } from './stream-resume.ts';
import { endStreamSignal } from './stream-signal.ts';

/** What a resumable stream's breaks have been so far: the deployments that broke it, the last error reported. */
interface StreamBreaks {
  deploymentIds: string[];
  lastReported: unknown;
}

export function respondStream(
  runtime: GatewayRuntime,
  reconcile: MaybeAsyncStep,
  finish: FinishRequest,
): (ctx: PipelineContext, started: number) => GatewayResponse {
  const { config, parts, router, metrics, metricsOn } = runtime;
  function reportBroken(ctx: PipelineContext, deploymentId: string, error: unknown): void {
    router.reportFailure(deploymentId, error);
    if (metricsOn) metrics.attemptFailed(ctx.servedGroup!, deploymentId, toFailure(error).errorClass);
  }

  /** Every break it is handed is reported here, so the stream's end does not report the last one again. */
  function resumerFor(ctx: PipelineContext, breaks: StreamBreaks): StreamResumer {
    return (sentText, error) => {
      const failedDeploymentId = ctx.deployment!.id;
      breaks.deploymentIds.push(failedDeploymentId);
      breaks.lastReported = error;
      reportBroken(ctx, failedDeploymentId, error);
      return resumeStream(
        {
          ctx,
          router,
          upstream: parts.upstream,
          deployments: runtime.deployments,
          limits: parts.limits,
          brokenDeploymentIds: breaks.deploymentIds,
        },
        sentText,
      );
    };
  }

  async function onEnd(
    ctx: PipelineContext,
    started: number,
    result: StreamEndResult,
    breaks: StreamBreaks | undefined,
  ): Promise<void> {
    endStreamSignal(ctx);
    ctx.usage = result.usage;
    ctx.usageCounted = result.usageCounted;
    // A break no resume could mend ends the stream as that same error, already reported by the resumer.
    if (result.error !== undefined && result.error !== breaks?.lastReported) {
      reportBroken(ctx, ctx.deployment!.id, result.error);
    }
    // A caller that went away is still charged what it used, the prompt and what reached it (counted when the
    // upstream sent no usage): settling with that gives back the rest of the reservation. Refunding it all let a
    // client keep its tokens per minute and its budget by disconnecting before the end.
    const reconciling = reconcile(ctx);
    if (reconciling !== undefined) await reconciling;
    scratchOf(ctx).upstreamMs += result.upstreamWaitMs + result.consumerWaitMs;
    const errorClass = result.error === undefined ? undefined : toFailure(result.error).errorClass;
    // From the request's start, as the metric's help says: the relay itself starts after the first upstream chunk.
    const ttftMs = result.firstTokenAt === undefined ? undefined : result.firstTokenAt - started;
    finish(ctx, started, 200, errorClass, ttftMs);
  }

  return (ctx, started) => {
    const outcome = scratchOf(ctx).callResult!;
    const protocol = parts.protocols[ctx.operation];
    const overheadMs = performance.now() - started - scratchOf(ctx).upstreamMs;
    const headers = gatewayHeaders(ctx, overheadMs);
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    const breaks: StreamBreaks | undefined = config.gw.resumeStreams
      ? { deploymentIds: [], lastReported: undefined }
      : undefined;
    const stream = relayStream({
      ctx,
      start: outcome.start!,
      encoder: protocol.createStreamEncoder(ctx.modelGroup!, ctx.request!, ctx.promptTokens),
      countText: parts.countText,
      ...(breaks === undefined ? {} : { resume: resumerFor(ctx, breaks) }),
      onEnd: (result) => onEnd(ctx, started, result, breaks),
    });
    ctx.response = { status: 200, headers, stream };
    return ctx.response;
  };
}
