import { describe, expect, it } from 'vitest';
import type { Deployment } from '../src/deployment.ts';
import { DeploymentStats, defaultLatencyOptions } from '../src/deployment-stats.ts';
import { createStrategy, type PickContext, type StrategyName } from '../src/index.ts';
import { createLocalUsageSource, type UsageSource } from '../src/usage-source.ts';
import { seededRandom } from './support/seeded-random.ts';

const draws = 40_000;
/** Chi-square critical values at p = 0.001, by degrees of freedom. */
const critical: Record<number, number> = { 1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47 };

function build(specs: Partial<Deployment>[]): DeploymentStats[] {
  return specs.map((spec, index) => {
    const stats = new DeploymentStats(
      { id: `d${index}`, modelGroup: 'group', ...spec },
      defaultLatencyOptions,
    );
    stats.slot = index;
    return stats;
  });
}

function sample(
  name: StrategyName,
  group: DeploymentStats[],
  options: { eligible?: (stats: DeploymentStats) => boolean; usage?: UsageSource; stream?: boolean } = {},
  strategyOptions: { buffer?: number } = {},
): number[] {
  const usage = options.usage ?? createLocalUsageSource();
  const picker = createStrategy(name, strategyOptions).createPicker(group, { usage, clock: () => 1_000 });
  const context: PickContext = {
    now: 1_000,
    stream: options.stream ?? false,
    promptTokens: 0,
    usage,
    random: seededRandom(12_345),
    eligible: options.eligible ?? (() => true),
  };
  const counts = group.map(() => 0);
  for (let draw = 0; draw < draws; draw++) {
    const chosen = picker.pick(context);
    if (chosen === undefined) throw new Error('no pick');
    counts[chosen.slot] = (counts[chosen.slot] as number) + 1;
  }
  return counts;
}

/** Asserts the counts fit the expected shares (zero shares must get zero draws). */
function expectDistribution(counts: number[], shares: number[]): void {
  const total = shares.reduce((sum, share) => sum + share, 0);
  let statistic = 0;
  let categories = 0;
  counts.forEach((count, index) => {
    const share = (shares[index] as number) / total;
    if (share === 0) {
      expect(count, `member ${index} has no share`).toBe(0);
      return;
    }
    const expected = share * draws;
    statistic += (count - expected) ** 2 / expected;
    categories++;
  });
  if (categories === 1) expect(statistic).toBe(0);
  else expect(statistic).toBeLessThan(critical[categories - 1] as number);
}

describe('strategy distributions (chi-square, seeded, 40,000 draws)', () => {
  it('simple-shuffle follows weights', () => {
    const counts = sample(
      'simple-shuffle',
      build([{ weight: 1 }, { weight: 2 }, { weight: 3 }, { weight: 4 }]),
    );
    expectDistribution(counts, [1, 2, 3, 4]);
  });

  it('simple-shuffle counts a weight on any deployment, a missing one as zero (LiteLLM)', () => {
    const counts = sample('simple-shuffle', build([{}, { weight: 1 }, { weight: 3 }]));
    expectDistribution(counts, [0, 1, 3]);
  });

  it('simple-shuffle falls back to rpm, then tpm', () => {
    expectDistribution(sample('simple-shuffle', build([{ rpm: 100 }, { rpm: 300 }])), [1, 3]);
    expectDistribution(
      sample('simple-shuffle', build([{ tpm: 5_000 }, { tpm: 5_000 }, { tpm: 10_000 }])),
      [1, 1, 2],
    );
  });

  it('simple-shuffle is uniform without weights', () => {
    expectDistribution(sample('simple-shuffle', build([{}, {}, {}, {}, {}])), [1, 1, 1, 1, 1]);
  });

  it('simple-shuffle keeps the weights among eligible members when most are not eligible', () => {
    const group = build([
      { weight: 1 },
      { weight: 5 },
      ...Array.from({ length: 40 }, () => ({ weight: 10 })),
      { weight: 2 },
    ]);
    const counts = sample('simple-shuffle', group, {
      eligible: (stats) => stats.slot === 0 || stats.slot === 1 || stats.slot === 42,
    });
    expectDistribution(counts, [1, 5, ...Array.from({ length: 40 }, () => 0), 2]);
  });

  it('least-busy picks among the fewest in flight, uniformly', () => {
    const group = build([{}, {}, {}, {}]);
    [2, 0, 0, 1].forEach((inFlight, index) => {
      const stats = group[index] as DeploymentStats;
      stats.inFlight = inFlight;
    });
    const picker = createStrategy('least-busy').createPicker(group, {
      usage: createLocalUsageSource(),
      clock: () => 0,
    });
    for (const stats of group) picker.update?.(stats);
    const context: PickContext = {
      now: 0,
      stream: false,
      promptTokens: 0,
      usage: createLocalUsageSource(),
      random: seededRandom(99),
      eligible: () => true,
    };
    const counts = [0, 0, 0, 0];
    for (let draw = 0; draw < draws; draw++) {
      const slot = picker.pick(context)?.slot as number;
      counts[slot] = (counts[slot] as number) + 1;
    }
    expectDistribution(counts, [0, 1, 1, 0]);
  });

  it('latency-based-routing picks at random within the buffer of the lowest latency', () => {
    const group = build([{}, {}, {}, {}]);
    [100, 108, 300, 95].forEach((latency, index) => {
      (group[index] as DeploymentStats).observeSuccess(latency, undefined, 0);
    });
    expectDistribution(sample('latency-based-routing', group, {}, { buffer: 0.15 }), [1, 1, 0, 1]);
    expectDistribution(sample('latency-based-routing', group, {}, { buffer: 0 }), [0, 0, 0, 1]);
  });

  it('latency-based-routing ranks streams by time to first token', () => {
    const group = build([{}, {}]);
    (group[0] as DeploymentStats).observeSuccess(5_000, 100, 0);
    (group[1] as DeploymentStats).observeSuccess(1_000, 900, 0);
    expectDistribution(sample('latency-based-routing', group, { stream: true }), [1, 0]);
    expectDistribution(sample('latency-based-routing', group, { stream: false }), [0, 1]);
  });

  it('usage-based-routing prefers the most headroom, uniformly among equals', () => {
    const usage = createLocalUsageSource();
    const group = build([{ rpm: 100 }, { rpm: 100 }, { rpm: 1_000 }, { rpm: 100 }]);
    usage.record('d0', 90, 0, 1_000);
    usage.record('d1', 10, 0, 1_000);
    usage.record('d2', 100, 0, 1_000);
    usage.record('d3', 10, 0, 1_000);
    expectDistribution(sample('usage-based-routing', group, { usage }), [0, 1, 1, 1]);
  });

  it('cost-based-routing picks the cheapest, uniformly among equal prices', () => {
    const group = build([
      { inputCostPerToken: 3e-6, outputCostPerToken: 1e-5 },
      { inputCostPerToken: 1e-6, outputCostPerToken: 2e-6 },
      { inputCostPerToken: 2e-6, outputCostPerToken: 2e-6 },
      { inputCostPerToken: 1e-6, outputCostPerToken: 2e-6 },
    ]);
    expectDistribution(sample('cost-based-routing', group), [0, 1, 0, 1]);
    const cheapestDown = sample('cost-based-routing', group, {
      eligible: (stats) => stats.slot !== 1 && stats.slot !== 3,
    });
    expectDistribution(cheapestDown, [0, 0, 1, 0]);
  });

  it('p2c-peak-ewma keeps the better of two random members', () => {
    const group = build([{}, {}, {}, {}]);
    [10, 20, 30, 40].forEach((latency, index) => {
      (group[index] as DeploymentStats).observeSuccess(latency, undefined, 1_000);
    });
    // Of the 6 equally likely pairs, the best member is in 3, the second best wins 2, the third 1, the worst none.
    expectDistribution(sample('p2c-peak-ewma', group), [3, 2, 1, 0]);
  });

  it('p2c-peak-ewma weighs latency by requests in flight', () => {
    const group = build([{}, {}]);
    (group[0] as DeploymentStats).observeSuccess(10, undefined, 1_000);
    (group[1] as DeploymentStats).observeSuccess(25, undefined, 1_000);
    (group[0] as DeploymentStats).inFlight = 2; // 10 * 3 = 30 > 25 * 1
    expectDistribution(sample('p2c-peak-ewma', group), [0, 1]);
  });

  it('p2c-peak-ewma avoids a deployment whose requests stopped coming back, before any times out', () => {
    const group = build([{}, {}]);
    (group[0] as DeploymentStats).observeSuccess(100, undefined, 0);
    (group[1] as DeploymentStats).observeSuccess(100, undefined, 0);
    (group[1] as DeploymentStats).startRequest(0); // pending for 1 s by the time of the picks
    (group[0] as DeploymentStats).startRequest(990);
    (group[0] as DeploymentStats).startRequest(995);
    expect((group[1] as DeploymentStats).pendingAgeMs(1_000)).toBe(1_000);
    expectDistribution(sample('p2c-peak-ewma', group), [1, 0]);
  });
});
