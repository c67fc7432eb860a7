// Allocation-free random choice among the eligible members of an array.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext } from '../strategy.ts';

/** Random draws tried before a full scan: with most members healthy a draw almost always succeeds. */
export const rejectionTries = 8;

export function randomIndex(length: number, random: () => number): number {
  const index = Math.floor(random() * length);
  return index >= length ? length - 1 : index;
}

/** Uniform over eligible members (other than `except`): rejection sampling first, then one reservoir scan. */
export function pickUniform(
  members: readonly DeploymentStats[],
  context: PickContext,
  except?: DeploymentStats,
): DeploymentStats | undefined {
  const length = members.length;
  if (length === 0) return undefined;
  for (let tries = 0; tries < rejectionTries; tries++) {
    const candidate = members[randomIndex(length, context.random)] as DeploymentStats;
    if (candidate !== except && context.eligible(candidate)) return candidate;
  }
  let chosen: DeploymentStats | undefined;
  let seen = 0;
  for (let index = 0; index < length; index++) {
    const candidate = members[index] as DeploymentStats;
    if (candidate === except || !context.eligible(candidate)) continue;
    seen++;
    if (context.random() * seen < 1) chosen = candidate;
  }
  return chosen;
}
