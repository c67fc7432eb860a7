// Step `account`: the answer's cost from its usage, and the usage reported to the router (usage-based routing).
import type { ModelInfo } from '../config/gateway-config.ts';
import { type CostOptions, costOf } from '../cost/cost-of.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { SyncStep } from './hooks.ts';

export function accountStep(runtime: GatewayRuntime): SyncStep {
  const router = runtime.router;
  return (ctx) => {
    const usage = ctx.usage;
    const deployment = ctx.deployment;
    if (usage === undefined || deployment === undefined) return;
    const info = deployment.info;
    // Billed to the model that answered: after a fallback that is the fallback deployment's model.
    ctx.costUsd = costOf(info.baseModel ?? deployment.model, usage, costOverrideOf(info));
    router.reportUsage(deployment.id, {
      promptTokens: usage.inputTokens,
      completionTokens: usage.outputTokens,
    });
  };
}

/** model_info's own prices, when set, take precedence over the price table. */
function costOverrideOf(info: ModelInfo): CostOptions {
  const options: CostOptions = {};
  if (
    info.inputCostPerToken === undefined &&
    info.outputCostPerToken === undefined &&
    info.cachedInputCostPerToken === undefined &&
    info.cacheWriteCostPerToken === undefined
  )
    return options;
  const override: NonNullable<CostOptions['override']> = {};
  if (info.inputCostPerToken !== undefined) override.inputCostPerToken = info.inputCostPerToken;
  if (info.outputCostPerToken !== undefined) override.outputCostPerToken = info.outputCostPerToken;
  if (info.cachedInputCostPerToken !== undefined)
    override.cachedInputCostPerToken = info.cachedInputCostPerToken;
  if (info.cacheWriteCostPerToken !== undefined)
    override.cacheWriteCostPerToken = info.cacheWriteCostPerToken;
  options.override = override;
  return options;
}
