import { describe, expect, it } from 'vitest';
import {
  type DeploymentStats,
  defaultLatencyOptions,
  DeploymentStats as Stats,
} from '../src/deployment-stats.ts';
import { createStrategy, type PickContext, strategyNames } from '../src/index.ts';
import { createLocalUsageSource } from '../src/usage-source.ts';
import { seededRandom } from './support/seeded-random.ts';

function members(count: number): DeploymentStats[] {
  return Array.from({ length: count }, (_, index) => {
    const stats = new Stats({ id: `d${index}`, modelGroup: 'group' }, defaultLatencyOptions);
    stats.slot = index;
    return stats;
  });
}

const usage = createLocalUsageSource();
const environment = { usage, clock: () => 1_000 };

function context(eligible: (stats: DeploymentStats) => boolean, seed = 7): PickContext {
  return {
    now: 1_000,
    stream: false,
    promptTokens: 0,
    usage,
    random: seededRandom(seed),
    eligible,
  };
}

describe.each(strategyNames)('Strategy contract: %s', (name) => {
  it('returns only eligible members', () => {
    const group = members(20);
    const picker = createStrategy(name).createPicker(group, environment);
    const pick = context((stats) => Number(stats.deployment.id.slice(1)) % 3 === 0);
    for (let draw = 0; draw < 500; draw++) {
      const chosen = picker.pick(pick);
      expect(chosen).toBeDefined();
      expect(Number(chosen?.deployment.id.slice(1)) % 3).toBe(0);
    }
  });

  it('returns undefined when no member is eligible', () => {
    const picker = createStrategy(name).createPicker(members(5), environment);
    expect(picker.pick(context(() => false))).toBeUndefined();
  });

  it('finds the one eligible member among a thousand', () => {
    const group = members(1_000);
    const picker = createStrategy(name).createPicker(group, environment);
    expect(picker.pick(context((stats) => stats.deployment.id === 'd777'))?.deployment.id).toBe('d777');
  });

  it('spreads over identical members instead of always picking the same one', () => {
    const group = members(5);
    const picker = createStrategy(name).createPicker(group, environment);
    const pick = context(() => true);
    const seen = new Set<string>();
    for (let draw = 0; draw < 500; draw++) seen.add(picker.pick(pick)?.deployment.id ?? '');
    expect(seen.size).toBe(5);
  });

  it('answers for an empty tier', () => {
    const picker = createStrategy(name).createPicker([], environment);
    expect(picker.pick(context(() => true))).toBeUndefined();
  });
});

describe('createStrategy', () => {
  it('rejects an unknown name with the list of known ones', () => {
    expect(() => createStrategy('round-robin' as 'simple-shuffle')).toThrow(/simple-shuffle/);
  });
});
