// Step `reserve`: the caller's limits (and a sole deployment's own) hold the estimated tokens, its budgets the cost.
import type { DeploymentConfig } from '../config/gateway-config.ts';
import { hasBudget } from './budget-limits.ts';
import { createCostEstimator } from './cost-estimate.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { MaybeAsyncStep } from './hooks.ts';
import type { LimitGrant } from './limit-grant.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { scratchOf } from './pipeline-scratch.ts';
import { maxTokensOf } from './request-facts.ts';
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
  const estimateCost = createCostEstimator(runtime.deployments);
  const gatewayBudget = runtime.config.globalLimits.budget !== undefined;
  return (ctx) => {
    const group = ctx.modelGroup!;
    const principal = ctx.principal!;
    const sole = soleDeployments.get(group);
    const cost = hasBudget(principal, gatewayBudget)
      ? estimateCost(group, ctx.promptTokens ?? 0, maxTokensOf(ctx.request) ?? 0)
      : undefined;
    const granting = limits.reserveCaller(principal, estimateTokens(ctx), sole, group, cost);
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
