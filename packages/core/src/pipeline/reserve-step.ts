// Step `reserve`: the caller's key and team limits (and a sole deployment's own) hold the estimated tokens.
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { MaybeAsyncStep } from './hooks.ts';
import type { LimitGrant } from './limit-grant.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { estimateTokens } from './settle-limits.ts';

/**
 * `soleDeployments`: groups whose one deployment's limits join the caller's decision (see sole-deployments.ts).
 * With a store that answers synchronously (the memory store) the step does too.
 */
export function reserveStep(
  runtime: GatewayRuntime,
  soleDeployments: ReadonlyMap<string, DeploymentConfig>,
): MaybeAsyncStep {
  const limits = runtime.parts.limits;
  return (ctx) => {
    const group = ctx.modelGroup!;
    const sole = soleDeployments.get(group);
    const granting = limits.reserveCaller(ctx.principal!, estimateTokens(ctx), sole, group);
    if (granting instanceof Promise) return granting.then((grant) => keepGrant(ctx, grant, sole));
    keepGrant(ctx, granting, sole);
    return undefined;
  };
}

function keepGrant(
  ctx: PipelineContext,
  grant: LimitGrant | undefined,
  sole: DeploymentConfig | undefined,
): void {
  if (grant === undefined) return;
  const scratch = scratchOf(ctx);
  scratch.grant = grant;
  if (sole !== undefined) scratch.preReserved = sole.id;
  Object.assign(ctx.responseHeaders, grant.headers);
}
