// Members kept sorted by a metric, for strategies that want the best one: pick walks from the front.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext } from '../strategy.ts';
import { randomIndex, rejectionTries } from './sampling.ts';

export type Metric = (stats: DeploymentStats) => number;

export class SortedOrder {
  readonly #order: DeploymentStats[];
  readonly #positionOf: Int32Array;
  readonly #metric: Metric;
  readonly #compare: (left: DeploymentStats, right: DeploymentStats) => number;

  constructor(members: readonly DeploymentStats[], metric: Metric) {
    this.#metric = metric;
    this.#compare = (left, right) => metric(left) - metric(right);
    this.#order = [...members];
    this.#positionOf = new Int32Array(members.length);
    this.resort();
  }

  /** Full re-sort, for when every metric may have moved (a new minute, a refresh). */
  resort(): void {
    this.#order.sort(this.#compare);
    for (let position = 0; position < this.#order.length; position++) {
      this.#positionOf[(this.#order[position] as DeploymentStats).slot] = position;
    }
  }

  #place(stats: DeploymentStats, position: number): void {
    this.#order[position] = stats;
    this.#positionOf[stats.slot] = position;
  }

  /** One member's metric changed: an insertion step moves it, usually by a few places. */
  update(stats: DeploymentStats): void {
    const order = this.#order;
    const value = this.#metric(stats);
    let position = this.#positionOf[stats.slot] as number;
    while (position > 0 && this.#metric(order[position - 1] as DeploymentStats) > value) {
      this.#place(order[position - 1] as DeploymentStats, position);
      position--;
    }
    while (position < order.length - 1 && this.#metric(order[position + 1] as DeploymentStats) < value) {
      this.#place(order[position + 1] as DeploymentStats, position);
      position++;
    }
    this.#place(stats, position);
  }

  /** First position whose metric is above `ceiling`, by binary search. */
  #end(from: number, ceiling: number): number {
    let low = from;
    let high = this.#order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#metric(this.#order[middle] as DeploymentStats) > ceiling) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /**
   * The best eligible member, or one at random among the eligible members whose metric is within `buffer`
   * (a fraction) of the best.
   */
  pick(context: PickContext, buffer: number): DeploymentStats | undefined {
    const order = this.#order;
    let first = 0;
    while (first < order.length && !context.eligible(order[first] as DeploymentStats)) first++;
    if (first === order.length) return undefined;
    const best = this.#metric(order[first] as DeploymentStats);
    const span = this.#end(first + 1, best + Math.abs(best) * buffer) - first;
    if (span === 1) return order[first];
    for (let tries = 0; tries < rejectionTries; tries++) {
      const candidate = order[first + randomIndex(span, context.random)] as DeploymentStats;
      if (context.eligible(candidate)) return candidate;
    }
    let chosen: DeploymentStats | undefined;
    let seen = 0;
    for (let position = first; position < first + span; position++) {
      const candidate = order[position] as DeploymentStats;
      if (!context.eligible(candidate)) continue;
      seen++;
      if (context.random() * seen < 1) chosen = candidate;
    }
    return chosen;
  }
}
