// Builds a strategy by the name LiteLLM users know.
import { RouterError } from './router-error.ts';
import { createCostBased } from './strategies/cost-based.ts';
import { createLatencyBased, type LatencyBasedOptions } from './strategies/latency-based.ts';
import { createLeastBusy } from './strategies/least-busy.ts';
import { createPowerOfTwoPeakEwma } from './strategies/p2c-peak-ewma.ts';
import { createSimpleShuffle } from './strategies/simple-shuffle.ts';
import { createUsageBased, type UsageBasedOptions } from './strategies/usage-based.ts';
import type { Strategy, StrategyName } from './strategy.ts';

export type StrategyOptions = LatencyBasedOptions & UsageBasedOptions;

export const strategyNames: readonly StrategyName[] = [
  'simple-shuffle',
  'least-busy',
  'latency-based-routing',
  'usage-based-routing',
  'cost-based-routing',
  'p2c-peak-ewma',
];

export function createStrategy(name: StrategyName, options: StrategyOptions = {}): Strategy {
  switch (name) {
    case 'simple-shuffle':
      return createSimpleShuffle();
    case 'least-busy':
      return createLeastBusy();
    case 'latency-based-routing':
      return createLatencyBased(options);
    case 'usage-based-routing':
      return createUsageBased(options);
    case 'cost-based-routing':
      return createCostBased();
    case 'p2c-peak-ewma':
      return createPowerOfTwoPeakEwma();
    default:
      throw new RouterError({
        code: 'GW_ERR_ROUTER_INVALID_CONFIG',
        status: 500,
        message: `Unknown routing strategy "${String(name)}"; use one of ${strategyNames.join(', ')}.`,
      });
  }
}
