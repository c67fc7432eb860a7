// A deployment as the router holds it: its stats, its breaker and the picker of its tier.
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { Deployment } from './deployment.ts';
import { DeploymentStats, type LatencyOptions } from './deployment-stats.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { Picker } from './strategy.ts';

export class RoutedDeployment extends DeploymentStats {
  readonly breaker: CircuitBreaker;
  picker: Picker | undefined;

  constructor(deployment: Deployment, options: LatencyOptions, breaker: CircuitBreaker) {
    super(deployment, options);
    this.breaker = breaker;
  }

  /** Tells the tier's picker that load or latency changed. */
  changed(): void {
    this.picker?.update?.(this);
  }
}

export interface Tier {
  order: number;
  members: RoutedDeployment[];
  picker: Picker;
}

export interface Group {
  name: string;
  /** The retry policy of this group: its own (`groupRetryPolicies`) or the router's. */
  policy: RetryPolicy;
  /** Calls waiting for a deployment at its `maxParallelRequests` to finish a request. */
  slotWaiters: Set<() => void>;
  /** Lowest order first. */
  tiers: Tier[];
  members: RoutedDeployment[];
}
