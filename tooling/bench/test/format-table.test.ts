import { describe, expect, it } from 'vitest';
import {
  type BenchRow,
  formatDuration,
  formatRate,
  formatRatio,
  formatTable,
  withRatios,
} from '../src/index.ts';

const row = (name: string, medianNs: number, extra: Partial<BenchRow> = {}): BenchRow => ({
  name,
  medianNs,
  p99Ns: medianNs * 2,
  meanNs: medianNs,
  samples: 100,
  opsPerSecond: 1e9 / medianNs,
  ...extra,
});

describe('units', () => {
  it('picks the unit that keeps durations readable', () => {
    expect(formatDuration(12.345)).toBe('12.35 ns');
    expect(formatDuration(1_500)).toBe('1.50 µs');
    expect(formatDuration(2_500_000)).toBe('2.50 ms');
    expect(formatDuration(3e9)).toBe('3.00 s');
    expect(formatDuration(Number.NaN)).toBe('-');
  });

  it('scales rates with k, M and G', () => {
    expect(formatRate(950, 'ops/s')).toBe('950.00 ops/s');
    expect(formatRate(12_300, 'ops/s')).toBe('12.30k ops/s');
    expect(formatRate(4_560_000, 'ops/s')).toBe('4.56M ops/s');
  });

  it('says slower or faster relative to the baseline', () => {
    expect(formatRatio(2.5, false)).toBe('2.50x slower');
    expect(formatRatio(0.25, false)).toBe('4.00x faster');
    expect(formatRatio(1, true)).toBe('baseline');
    expect(formatRatio(Number.NaN, false)).toBe('-');
  });
});

describe('formatTable', () => {
  it('adds each row its median over the baseline median', () => {
    const rows = withRatios([row('gw', 100), row('peer', 250)], 'gw');
    expect(rows.map((entry) => entry.ratio)).toEqual([1, 2.5]);
  });

  it('gives NaN ratios when the baseline is missing', () => {
    expect(withRatios([row('a', 1)], 'gw')[0]!.ratio).toBeNaN();
  });

  it('renders aligned columns: name, median, p99, ops/s, ratio', () => {
    const text = formatTable('tokenize 1 KB', [row('gw', 1_000), row('tiktoken', 4_000)], 'gw');
    expect(text.split('\n')).toEqual([
      'tokenize 1 KB',
      'name       median      p99    ops/s         vs gw',
      '--------  -------  -------  -------  ------------',
      'gw        1.00 µs  2.00 µs    1.00M      baseline',
      'tiktoken  4.00 µs  8.00 µs  250.00k  4.00x slower',
    ]);
  });

  it('shows MB/s instead of ops/s when bytes per call are known', () => {
    const text = formatTable('parse', [row('gw', 1_000, { megabytesPerSecond: 1024 })], 'gw');
    expect(text).toContain('MB/s');
    expect(text).toContain('1024.0');
    expect(text).not.toContain('ops/s');
  });
});
