// latency-based-routing: lowest moving latency (time to first token for streams), random within a buffer.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext, Picker, Strategy } from '../strategy.ts';
import { type Metric, SortedOrder } from './sorted-order.ts';

export interface LatencyBasedOptions {
  /** Candidates within this fraction of the lowest latency are picked at random (LiteLLM's lowest_latency_buffer). */
  buffer?: number;
}

// Unmeasured deployments rank first, so each one gets tried and measured (as LiteLLM does).
const byLatency: Metric = (stats) => Math.max(0, stats.latencyMs);
const byTtft: Metric = (stats) => Math.max(0, stats.ttftMs >= 0 ? stats.ttftMs : stats.latencyMs);

class LatencyPicker implements Picker {
  readonly #latency: SortedOrder;
  readonly #ttft: SortedOrder;
  readonly #buffer: number;

  constructor(members: readonly DeploymentStats[], buffer: number) {
    this.#latency = new SortedOrder(members, byLatency);
    this.#ttft = new SortedOrder(members, byTtft);
    this.#buffer = buffer;
  }

  update(stats: DeploymentStats): void {
    this.#latency.update(stats);
    this.#ttft.update(stats);
  }

  pick(context: PickContext): DeploymentStats | undefined {
    return (context.stream ? this.#ttft : this.#latency).pick(context, this.#buffer);
  }
}

export function createLatencyBased(options: LatencyBasedOptions = {}): Strategy {
  const buffer = options.buffer ?? 0;
  return { name: 'latency-based-routing', createPicker: (members) => new LatencyPicker(members, buffer) };
}
