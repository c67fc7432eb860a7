// Step `call`: one routed attempt on the chosen deployment, repeated there up to its max_retries; the result goes
// to the scratch space for the respond step.
import { performance } from 'node:perf_hooks';
import type { Sleep } from '@gw/router';
import type { DeploymentConfig } from '../config/gateway-config.ts';
import { withDeploymentRetries } from './deployment-retries.ts';
import type { GatewayParts } from './gateway-parts.ts';
import type { Step } from './hooks.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { type CallResult, scratchOf } from './pipeline-scratch.ts';
import { firstChunk } from './stream-relay.ts';
import { endStreamSignal, streamSignal } from './stream-signal.ts';
import { upstreamRequest } from './upstream-request.ts';

/** How same-deployment retries wait: the router's injected time, so tests never sleep. */
export interface RetryTiming {
  sleep: Sleep;
  random: () => number;
}

export function callStep(parts: GatewayParts, timing: RetryTiming): Step {
  const callOnce = callOnceWith(parts);
  // Not async itself: the attempt's promise is callOnce's own, one frame fewer held while the upstream answers.
  return (ctx) => {
    const deployment = ctx.deployment!;
    const attemptSignal = scratchOf(ctx).attemptSignal!;
    const retries = deployment.maxRetries ?? 0;
    if (retries === 0) return callOnce(ctx, deployment, attemptSignal);
    return withDeploymentRetries({ retries, signal: attemptSignal, ...timing }, () =>
      callOnce(ctx, deployment, attemptSignal),
    );
  };
}

function callOnceWith(parts: GatewayParts) {
  const upstream = parts.upstream;
  return async function callOnce(
    ctx: PipelineContext,
    deployment: DeploymentConfig,
    attemptSignal: AbortSignal,
  ): Promise<void> {
    const request = upstreamRequest(ctx.request!, deployment);
    if (ctx.stream) {
      const signal = streamSignal(ctx, attemptSignal);
      try {
        const opened = await upstream.stream(deployment, request, signal, ctx.operation, ctx.requestId);
        const firstStart = performance.now();
        const start = await firstChunk(opened.chunks, ctx);
        const result: CallResult = { kind: 'stream', start };
        if (opened.upstreamMs !== undefined)
          result.upstreamMs = opened.upstreamMs + performance.now() - firstStart;
        scratchOf(ctx).callResult = result;
        return;
      } catch (error) {
        endStreamSignal(ctx);
        throw error;
      }
    }
    const sent = await upstream.send(deployment, ctx.operation, request, attemptSignal, ctx.requestId);
    const result: CallResult = { kind: 'json', response: sent.response };
    if (sent.usage !== undefined) result.usage = sent.usage;
    if (sent.upstreamMs !== undefined) result.upstreamMs = sent.upstreamMs;
    scratchOf(ctx).callResult = result;
  };
}
