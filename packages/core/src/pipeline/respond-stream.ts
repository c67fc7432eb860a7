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

export function respondStream(
  runtime: GatewayRuntime,
  reconcile: MaybeAsyncStep,
  finish: FinishRequest,
): (ctx: PipelineContext, started: number) => GatewayResponse {
  const { config, parts, router, metrics, metricsOn } = runtime;
  // A break the resumer reported ends the stream as the same error when no resume succeeds: counted once.
  const reported = new WeakSet<object>();

  function reportBroken(ctx: PipelineContext, deploymentId: string, error: unknown): void {
    if (typeof error === 'object' && error !== null) {
      if (reported.has(error)) return;
      reported.add(error);
    }
    router.reportFailure(deploymentId, error);
    if (metricsOn) metrics.attemptFailed(ctx.servedGroup!, deploymentId, toFailure(error).errorClass);
  }

  function resumerFor(ctx: PipelineContext): StreamResumer {
    const brokenDeploymentIds: string[] = [];
    return (sentText, error) => {
      const failedDeploymentId = ctx.deployment!.id;
      brokenDeploymentIds.push(failedDeploymentId);
      reportBroken(ctx, failedDeploymentId, error);
      return resumeStream(
        { ctx, router, upstream: parts.upstream, deployments: runtime.deployments, brokenDeploymentIds },
        sentText,
      );
    };
  }

  async function onEnd(ctx: PipelineContext, started: number, result: StreamEndResult): Promise<void> {
    endStreamSignal(ctx);
    ctx.usage = result.usage;
    ctx.usageCounted = result.usageCounted;
    if (result.error !== undefined) reportBroken(ctx, ctx.deployment!.id, result.error);
    // The client went away: refund what it had reserved beyond what the upstream already produced.
    if (result.cancelled) scratchOf(ctx).grant?.release();
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
    const stream = relayStream({
      ctx,
      start: outcome.start!,
      encoder: protocol.createStreamEncoder(ctx.modelGroup!, ctx.request!, ctx.promptTokens),
      countText: parts.countText,
      ...(config.gw.resumeStreams ? { resume: resumerFor(ctx) } : {}),
      onEnd: (result) => onEnd(ctx, started, result),
    });
    ctx.response = { status: 200, headers, stream };
    return ctx.response;
  };
}
