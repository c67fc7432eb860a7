// Step `reserve`: the caller's key and team limits (and a sole deployment's own) hold the estimated tokens.
import type { DeploymentConfig } from '../config/gateway-config.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { Step } from './hooks.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { estimateTokens } from './settle-limits.ts';

/** `soleDeployments`: groups whose one deployment's limits join the caller's decision (see sole-deployments.ts). */
export function reserveStep(
  runtime: GatewayRuntime,
  soleDeployments: ReadonlyMap<string, DeploymentConfig>,
): Step {
  const limits = runtime.parts.limits;
  return async (ctx) => {
    const sole = soleDeployments.get(ctx.modelGroup!);
    const grant = await limits.reserveCaller(ctx.principal!, estimateTokens(ctx), sole);
    if (grant === undefined) return;
    const scratch = scratchOf(ctx);
    scratch.grant = grant;
    if (sole !== undefined) scratch.preReserved = sole.id;
    Object.assign(ctx.responseHeaders, grant.headers);
  };
}
