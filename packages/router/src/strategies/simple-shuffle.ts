// simple-shuffle: weighted random by weight, else by rpm, else by tpm, else uniform (LiteLLM's default).
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext, Picker, Strategy } from '../strategy.ts';
import { pickUniform, rejectionTries } from './sampling.ts';

type WeightField = 'weight' | 'rpm' | 'tpm';

function weightField(members: readonly DeploymentStats[]): WeightField | undefined {
  // As in LiteLLM, a weight on any one deployment switches the tier to weights (a missing one counts 0).
  for (const field of ['weight', 'rpm', 'tpm'] as const) {
    if (members.some((member) => (member.deployment[field] ?? 0) > 0)) return field;
  }
  return undefined;
}

class WeightedPicker implements Picker {
  readonly #members: readonly DeploymentStats[];
  readonly #weights: Float64Array;
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(members: readonly DeploymentStats[], field: WeightField) {
    this.#members = members;
    this.#weights = new Float64Array(members.length);
    this.#cumulative = new Float64Array(members.length);
    let total = 0;
    members.forEach((member, index) => {
      const weight = Math.max(0, member.deployment[field] ?? 0);
      this.#weights[index] = weight;
      total += weight;
      this.#cumulative[index] = total;
    });
    this.#total = total;
  }

  #search(target: number): number {
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  pick(context: PickContext): DeploymentStats | undefined {
    for (let tries = 0; tries < rejectionTries; tries++) {
      const candidate = this.#members[this.#search(context.random() * this.#total)] as DeploymentStats;
      if (context.eligible(candidate)) return candidate;
    }
    // Many members are ineligible: draw once more over the eligible weight only.
    let eligibleTotal = 0;
    for (let index = 0; index < this.#members.length; index++) {
      if (context.eligible(this.#members[index] as DeploymentStats)) {
        eligibleTotal += this.#weights[index] as number;
      }
    }
    if (eligibleTotal === 0) return pickUniform(this.#members, context);
    let target = context.random() * eligibleTotal;
    let last: DeploymentStats | undefined;
    for (let index = 0; index < this.#members.length; index++) {
      const candidate = this.#members[index] as DeploymentStats;
      const weight = this.#weights[index] as number;
      if (weight === 0 || !context.eligible(candidate)) continue;
      last = candidate;
      target -= weight;
      if (target < 0) return candidate;
    }
    return last;
  }
}

export function createSimpleShuffle(): Strategy {
  return {
    name: 'simple-shuffle',
    createPicker(members) {
      const field = weightField(members);
      if (field === undefined) return { pick: (context) => pickUniform(members, context) };
      return new WeightedPicker(members, field);
    },
  };
}
