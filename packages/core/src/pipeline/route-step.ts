// Step `route`: the router picks a deployment per attempt (retries, fallbacks, breakers), each attempt reserves
// the deployment's own limits and runs the `call` step.
import { performance } from 'node:perf_hooks';
import type { RouteRequest } from '@gw/router';
import { toFailure } from './error-status.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { Step } from './hooks.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { maxTokensOf, requirementsOf } from './request-facts.ts';
import { estimateTokens } from './settle-limits.ts';

/** `call` is the hooked call step, run once per attempt. */
export function routeStep(runtime: GatewayRuntime, call: Step): Step {
  const { router, deployments, parts, metrics, metricsOn } = runtime;
  return async (ctx) => {
    const result = await router.execute(routeRequestOf(ctx), async (routedDeployment, attempt) => {
      const deployment = deployments.get(routedDeployment.id)!;
      ctx.deployment = deployment;
      ctx.attempts = attempt.attempt;
      const scratch = scratchOf(ctx);
      const deploymentGrant =
        scratch.preReserved === deployment.id
          ? undefined
          : await parts.limits.reserveDeployment(deployment, estimateTokens(ctx));
      scratch.attemptSignal = attempt.signal;
      const waitStart = performance.now();
      try {
        await call(ctx);
      } catch (error) {
        scratch.upstreamMs += performance.now() - waitStart;
        deploymentGrant?.commit(0);
        if (metricsOn) metrics.attemptFailed(attempt.modelGroup, deployment.id, toFailure(error).errorClass);
        throw error;
      }
      const outcome = scratch.callResult;
      if (outcome === undefined) {
        // A `call` hook answered itself (ctx.response) without calling the upstream: nothing to bill here.
        deploymentGrant?.release();
        return undefined;
      }
      // The caller's own measure of the upstream wait when it has one, else the whole call.
      scratch.upstreamMs += outcome.upstreamMs ?? performance.now() - waitStart;
      if (deploymentGrant !== undefined) outcome.deploymentGrant = deploymentGrant;
      if (outcome.kind === 'stream') attempt.markFirstByte();
      return outcome;
    });
    ctx.deployment = deployments.get(result.deployment.id);
    ctx.servedGroup = result.modelGroup;
    ctx.attempts = result.attempts;
    scratchOf(ctx).callResult = result.value;
  };
}

function routeRequestOf(ctx: PipelineContext): RouteRequest {
  const request: RouteRequest = { modelGroup: ctx.modelGroup!, stream: ctx.stream, signal: ctx.signal };
  if (ctx.promptTokens !== undefined) request.promptTokens = ctx.promptTokens;
  const maxTokens = maxTokensOf(ctx.request);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const requires = requirementsOf(ctx.request);
  if (requires !== undefined) request.requires = requires;
  return request;
}
