// usage-based-routing: the most headroom against rpm/tpm in the current minute.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext, Strategy } from '../strategy.ts';

/** Fraction of the tighter limit still free; without limits, fewer tokens used ranks higher. */
function headroom(stats: DeploymentStats, context: PickContext): number {
  const { id, rpm, tpm } = stats.deployment;
  const requests = context.usage.requests(id, context.now);
  const tokens = context.usage.tokens(id, context.now);
  let free = Number.POSITIVE_INFINITY;
  if (rpm !== undefined && rpm > 0) free = Math.min(free, (rpm - requests) / rpm);
  if (tpm !== undefined && tpm > 0) free = Math.min(free, (tpm - tokens - context.promptTokens) / tpm);
  return free === Number.POSITIVE_INFINITY ? 1 - tokens / (tokens + 1_000_000) : free;
}

export function createUsageBased(): Strategy {
  return {
    name: 'usage-based-routing',
    createPicker(members) {
      return {
        // Usage lives in a pluggable, possibly shared source that cannot notify us, so this reads every member.
        pick(context) {
          let chosen: DeploymentStats | undefined;
          let best = Number.NEGATIVE_INFINITY;
          let ties = 0;
          for (const candidate of members) {
            if (!context.eligible(candidate)) continue;
            const value = headroom(candidate, context);
            if (value > best) {
              best = value;
              chosen = candidate;
              ties = 1;
            } else if (value === best) {
              ties++;
              if (context.random() * ties < 1) chosen = candidate;
            }
          }
          return chosen;
        },
      };
    },
  };
}
