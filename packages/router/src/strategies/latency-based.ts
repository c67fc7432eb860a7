// latency-based-routing: lowest moving latency (time to first token for streams), random within a buffer.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext, Picker, Strategy } from '../strategy.ts';

export interface LatencyBasedOptions {
  /** Candidates within this fraction of the lowest latency are picked at random (LiteLLM's lowest_latency_buffer). */
  buffer?: number;
}

type Metric = (stats: DeploymentStats) => number;

// Unmeasured deployments rank first, so each one gets tried and measured (as LiteLLM does).
const byLatency: Metric = (stats) => Math.max(0, stats.latencyMs);
const byTtft: Metric = (stats) => Math.max(0, stats.ttftMs >= 0 ? stats.ttftMs : stats.latencyMs);

/** Members kept sorted by a metric; a stats change moves one member a few places (insertion step). */
class SortedOrder {
  readonly order: DeploymentStats[];
  readonly #positionOf: Int32Array;
  readonly #metric: Metric;

  constructor(members: readonly DeploymentStats[], metric: Metric) {
    this.#metric = metric;
    this.order = [...members].sort((left, right) => metric(left) - metric(right));
    this.#positionOf = new Int32Array(members.length);
    this.order.forEach((member, position) => {
      this.#positionOf[member.slot] = position;
    });
  }

  #place(stats: DeploymentStats, position: number): void {
    this.order[position] = stats;
    this.#positionOf[stats.slot] = position;
  }

  update(stats: DeploymentStats): void {
    const value = this.#metric(stats);
    let position = this.#positionOf[stats.slot] as number;
    while (position > 0 && this.#metric(this.order[position - 1] as DeploymentStats) > value) {
      this.#place(this.order[position - 1] as DeploymentStats, position);
      position--;
    }
    while (
      position < this.order.length - 1 &&
      this.#metric(this.order[position + 1] as DeploymentStats) < value
    ) {
      this.#place(this.order[position + 1] as DeploymentStats, position);
      position++;
    }
    this.#place(stats, position);
  }

  pick(context: PickContext, buffer: number): DeploymentStats | undefined {
    let chosen: DeploymentStats | undefined;
    let ceiling = Number.POSITIVE_INFINITY;
    let seen = 0;
    for (const candidate of this.order) {
      const value = this.#metric(candidate);
      if (value > ceiling) break;
      if (!context.eligible(candidate)) continue;
      if (chosen === undefined) ceiling = value * (1 + buffer);
      seen++;
      if (context.random() * seen < 1) chosen = candidate;
    }
    return chosen;
  }
}

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
