import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, writeResults } from '../src/index.ts';

const busy = (iterations: number): number => {
  let total = 0;
  for (let index = 0; index < iterations; index++) total += Math.sqrt(index);
  return total;
};

describe('compare', () => {
  it('measures every contender and states each one relative to the baseline', async () => {
    const calls: string[] = [];
    const result = await compare({
      title: 'sqrt loop',
      print: false,
      warmupMs: 5,
      minTimeMs: 60,
      minSamples: 12,
      contenders: [
        {
          name: 'gw',
          fn: () => busy(1_000),
          setup: () => calls.push('setup gw'),
          teardown: () => calls.push('teardown gw'),
        },
        { name: 'peer', fn: () => busy(50_000) },
        { name: 'async', fn: async () => busy(1_000) },
      ],
    });
    expect(result.baseline).toBe('gw');
    expect(result.rows.map((row) => row.name)).toEqual(['gw', 'peer', 'async']);
    expect(result.rows[0]!.ratio).toBe(1);
    // Ratios are medians over the baseline's median; the ranking itself depends on machine load, so is not asserted.
    const baselineMedian = result.rows[0]!.medianNs;
    for (const row of result.rows) expect(row.ratio).toBeCloseTo(row.medianNs / baselineMedian, 9);
    for (const row of result.rows) {
      expect(row.samples).toBeGreaterThanOrEqual(12);
      expect(row.p99Ns).toBeGreaterThanOrEqual(row.medianNs);
      expect(row.opsPerSecond).toBeCloseTo(1e9 / row.medianNs, 6);
      expect(result.samplesNs[row.name]).toHaveLength(row.samples);
    }
    expect(calls).toEqual(['setup gw', 'teardown gw']);
  });

  it('derives MB/s from bytes per call', async () => {
    const result = await compare({
      title: 'bytes',
      print: false,
      warmupMs: 1,
      minTimeMs: 20,
      bytesPerCall: 1_000_000,
      contenders: [{ name: 'gw', fn: () => busy(100) }],
    });
    const row = result.rows[0]!;
    expect(row.megabytesPerSecond).toBeCloseTo(row.opsPerSecond, 6);
  });

  it('refuses a baseline that is not a contender', async () => {
    await expect(compare({ title: 't', contenders: [{ name: 'a', fn: () => 1 }] })).rejects.toThrow(
      /baseline "gw"/,
    );
  });
});

describe('writeResults', () => {
  it('writes a timestamped JSON file and returns its path', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'gw-bench-'));
    try {
      const file = await writeResults(
        'tokens',
        { rows: [1, 2] },
        { directory, now: () => new Date('2026-01-02T03:04:05.678Z') },
      );
      expect(file).toBe(join(directory, 'tokens-2026-01-02T03-04-05-678Z.json'));
      const written = JSON.parse(await readFile(file, 'utf8'));
      expect(written.name).toBe('tokens');
      expect(written.data).toEqual({ rows: [1, 2] });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a name that is a path', async () => {
    await expect(writeResults('../escape', {})).rejects.toThrow(/plain file name/);
  });
});
