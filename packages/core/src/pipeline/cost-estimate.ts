// The most a request can cost in a model group, before it is routed: what a budget holds until the answer.
import type { DeploymentConfig } from '../config/gateway-config.ts';
import { deploymentCost } from '../cost/deployment-cost.ts';

/** USD per input and per output token of the group's dearest deployment. */
interface GroupPrice {
  input: number;
  output: number;
}

export type CostEstimator = (group: string, promptTokens: number, outputTokens: number) => number;

/**
 * The deployment that will answer is not known yet, so the dearest price of the group is held: a budget then
 * never admits a call it cannot pay for, whichever deployment takes it. A group without any price costs 0.
 */
export function createCostEstimator(deployments: ReadonlyMap<string, DeploymentConfig>): CostEstimator {
  const prices = new Map<string, GroupPrice>();
  const priceOf = (group: string): GroupPrice => {
    let price = prices.get(group);
    if (price === undefined) {
      price = { input: 0, output: 0 };
      for (const deployment of deployments.values()) {
        if (deployment.modelName !== group) continue;
        price.input = Math.max(
          price.input,
          deploymentCost(deployment, { inputTokens: 1, outputTokens: 0 }) ?? 0,
        );
        price.output = Math.max(
          price.output,
          deploymentCost(deployment, { inputTokens: 0, outputTokens: 1 }) ?? 0,
        );
      }
      prices.set(group, price);
    }
    return price;
  };
  return (group, promptTokens, outputTokens) => {
    const price = priceOf(group);
    return promptTokens * price.input + outputTokens * price.output;
  };
}
