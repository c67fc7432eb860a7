// The Strategy interface: how one deployment is picked among the members of a priority tier.
import type { DeploymentStats } from './deployment-stats.ts';
import type { UsageSource } from './usage-source.ts';

export type StrategyName =
  | 'simple-shuffle'
  | 'least-busy'
  | 'latency-based-routing'
  | 'usage-based-routing'
  | 'cost-based-routing'
  | 'p2c-peak-ewma';

/**
 * What a pick may consult. The router reuses one object for every pick (no allocation on the hot path), so
 * a picker must not keep it past the call.
 */
export interface PickContext {
  readonly now: number;
  readonly stream: boolean;
  readonly promptTokens: number;
  readonly usage: UsageSource;
  random(): number;
  /** Pre-call checks and breaker state: only deployments passing it may be returned. */
  eligible(stats: DeploymentStats): boolean;
}

export interface Picker {
  /** An eligible member, or undefined when none is. Must not allocate. */
  pick(context: PickContext): DeploymentStats | undefined;
  /** Called after a member's stats or recorded usage changed, for pickers that keep an index. */
  update?(stats: DeploymentStats): void;
}

/** What the router lends a picker for its whole life. */
export interface PickerEnvironment {
  readonly usage: UsageSource;
  clock(): number;
}

export interface Strategy {
  readonly name: string;
  /** Builds the picker of one tier once, when the router is created; precomputation belongs here. */
  createPicker(members: readonly DeploymentStats[], environment: PickerEnvironment): Picker;
}
