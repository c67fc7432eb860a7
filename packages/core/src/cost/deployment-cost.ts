// What a deployment's answer costs: its model's price (model_info.base_model first), its own prices overriding it.
import type { DeploymentConfig, ModelInfo } from '../config/gateway-config.ts';
import { type CostOptions, costOf, type TokenUsage } from './cost-of.ts';

/**
 * USD for `usage` on `deployment`, or undefined when it has no price. `model` is the model it was asked for, when
 * that is not its own (a wildcard deployment's).
 */
export function deploymentCost(
  deployment: DeploymentConfig,
  usage: TokenUsage,
  model: string = deployment.model,
): number | undefined {
  const info = deployment.info;
  return costOf(info.baseModel ?? model, usage, costOverrideOf(info));
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
