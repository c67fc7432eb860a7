// Selection cost per call of every strategy at 10, 100 and 1,000 deployments in one tier.
import { compare } from '@gw/bench';
import { DeploymentStats, defaultLatencyOptions } from '../src/deployment-stats.ts';
import { createRouter, createStrategy, type PickContext, strategyNames } from '../src/index.ts';
import { createLocalUsageSource } from '../src/usage-source.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

function tier(size: number): DeploymentStats[] {
  const random = seededRandom(size);
  return Array.from({ length: size }, (_, index) => {
    const stats = new DeploymentStats(
      {
        id: `d${index}`,
        modelGroup: 'gpt',
        rpm: 10_000,
        tpm: 10_000_000,
        weight: 1 + Math.floor(random() * 5),
        inputCostPerToken: Math.round(random() * 10) * 1e-6,
        outputCostPerToken: 2e-6,
      },
      defaultLatencyOptions,
    );
    stats.slot = index;
    stats.observeSuccess(100 + random() * 900, 50 + random() * 200, 0);
    stats.inFlight = Math.floor(random() * 4);
    return stats;
  });
}

export async function benchSelection(): Promise<void> {
  for (const size of [10, 100, 1_000]) {
    const members = tier(size);
    const usage = createLocalUsageSource();
    // A check as cheap as the router's pre-call checks, failing for one deployment in ten.
    const context: PickContext = {
      now: 1_000,
      stream: false,
      promptTokens: 1_000,
      usage,
      random: seededRandom(7),
      eligible: (stats) => stats.slot % 10 !== 3,
    };
    await compare({
      title: `pick one of ${size} deployments (one tier, 10% ineligible)`,
      baseline: 'simple-shuffle',
      minTimeMs: 300,
      warmupMs: 100,
      contenders: strategyNames.map((name) => {
        const picker = createStrategy(name, { buffer: 0.1 }).createPicker(members, {
          usage,
          clock: () => 1_000,
        });
        for (const member of members) picker.update?.(member);
        return { name, fn: () => picker.pick(context) };
      }),
    });
  }
}

/** The whole execute() path around a trivial attempt: pick, pre-call checks, breaker, stats, events. */
export async function benchExecute(): Promise<void> {
  const deployments = Array.from({ length: 100 }, (_, index) => ({
    id: `d${index}`,
    modelGroup: 'gpt',
    rpm: 1e9,
  }));
  const attempt = async (): Promise<number> => 1;
  await compare({
    title: 'router.execute() overhead, 100 deployments, attempt resolves at once',
    baseline: 'simple-shuffle',
    minTimeMs: 300,
    warmupMs: 100,
    contenders: strategyNames.map((strategy) => {
      const router = createRouter({ deployments, strategy });
      return { name: strategy, fn: () => router.execute({ modelGroup: 'gpt', promptTokens: 100 }, attempt) };
    }),
  });
}
