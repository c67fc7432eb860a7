// least-busy: the fewest requests in flight, ties broken at random; members are bucketed by in-flight count.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext, Picker, Strategy } from '../strategy.ts';
import { randomIndex, rejectionTries } from './sampling.ts';

class LeastBusyPicker implements Picker {
  readonly #members: readonly DeploymentStats[];
  /** buckets[k] holds the slots of members with k requests in flight. */
  readonly #buckets: number[][] = [[]];
  readonly #bucketOf: Int32Array;
  readonly #positionOf: Int32Array;

  constructor(members: readonly DeploymentStats[]) {
    this.#members = members;
    this.#bucketOf = new Int32Array(members.length).fill(-1);
    this.#positionOf = new Int32Array(members.length);
    for (const member of members) this.update(member);
  }

  update(stats: DeploymentStats): void {
    const slot = stats.slot;
    const target = stats.inFlight;
    const current = this.#bucketOf[slot] as number;
    if (current === target) return;
    if (current >= 0) {
      // Swap-remove keeps both operations O(1).
      const bucket = this.#buckets[current] as number[];
      const position = this.#positionOf[slot] as number;
      const moved = bucket[bucket.length - 1] as number;
      bucket[position] = moved;
      this.#positionOf[moved] = position;
      bucket.pop();
    }
    while (this.#buckets.length <= target) this.#buckets.push([]);
    const bucket = this.#buckets[target] as number[];
    this.#positionOf[slot] = bucket.length;
    bucket.push(slot);
    this.#bucketOf[slot] = target;
  }

  pick(context: PickContext): DeploymentStats | undefined {
    for (let level = 0; level < this.#buckets.length; level++) {
      const bucket = this.#buckets[level] as number[];
      const length = bucket.length;
      if (length === 0) continue;
      for (let tries = 0; tries < rejectionTries; tries++) {
        const candidate = this.#members[
          bucket[randomIndex(length, context.random)] as number
        ] as DeploymentStats;
        if (context.eligible(candidate)) return candidate;
      }
      const start = randomIndex(length, context.random);
      for (let offset = 0; offset < length; offset++) {
        const candidate = this.#members[bucket[(start + offset) % length] as number] as DeploymentStats;
        if (context.eligible(candidate)) return candidate;
      }
    }
    return undefined;
  }
}

export function createLeastBusy(): Strategy {
  return { name: 'least-busy', createPicker: (members) => new LeastBusyPicker(members) };
}
