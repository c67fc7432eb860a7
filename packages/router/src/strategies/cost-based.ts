// cost-based-routing: the cheapest eligible deployment (input plus output price per token), random among equals.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { Strategy } from '../strategy.ts';
import { pickUniform } from './sampling.ts';

export function createCostBased(): Strategy {
  return {
    name: 'cost-based-routing',
    createPicker(members) {
      // Prices do not change at run time: sort once into runs of equal cost.
      const sorted = [...members].sort((left, right) => left.costPerToken - right.costPerToken);
      const runs: DeploymentStats[][] = [];
      for (const member of sorted) {
        const run = runs[runs.length - 1];
        if (run !== undefined && (run[0] as DeploymentStats).costPerToken === member.costPerToken)
          run.push(member);
        else runs.push([member]);
      }
      return {
        pick(context) {
          for (const run of runs) {
            const chosen = pickUniform(run, context);
            if (chosen !== undefined) return chosen;
          }
          return undefined;
        },
      };
    },
  };
}
