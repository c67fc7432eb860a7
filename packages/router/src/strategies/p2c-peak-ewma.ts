// p2c-peak-ewma: two random candidates, keep the one with the lower peak-EWMA latency times (in flight + 1).
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext, Picker, Strategy } from '../strategy.ts';
import { pickUniform } from './sampling.ts';

/** An unmeasured deployment that already has requests in flight is avoided, as in Finagle. */
const unmeasuredPenalty = 1e9;

/**
 * Peak-EWMA latency times (in flight + 1). The latency is raised to the mean age of the requests in flight, so a
 * deployment that stopped answering looks slow at once, not only when its first requests time out.
 */
function load(stats: DeploymentStats, now: number): number {
  const cost = Math.max(stats.peakEwmaMs(now), stats.pendingAgeMs(now));
  if (cost === 0) return stats.inFlight === 0 ? 0 : unmeasuredPenalty + stats.inFlight;
  return cost * (stats.inFlight + 1);
}

class PowerOfTwoPicker implements Picker {
  readonly #members: readonly DeploymentStats[];

  constructor(members: readonly DeploymentStats[]) {
    this.#members = members;
  }

  pick(context: PickContext): DeploymentStats | undefined {
    const first = pickUniform(this.#members, context);
    if (first === undefined) return undefined;
    const second = pickUniform(this.#members, context, first);
    if (second === undefined) return first;
    const firstLoad = load(first, context.now);
    const secondLoad = load(second, context.now);
    if (firstLoad === secondLoad) return context.random() < 0.5 ? first : second;
    return firstLoad < secondLoad ? first : second;
  }
}

export function createPowerOfTwoPeakEwma(): Strategy {
  return { name: 'p2c-peak-ewma', createPicker: (members) => new PowerOfTwoPicker(members) };
}
