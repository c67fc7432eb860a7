import { describe, expect, it } from 'vitest';
import { medianBy, percentile, summarize, timeRatio } from '../src/index.ts';

describe('percentile', () => {
  it('interpolates linearly between the two nearest ranks', () => {
    const values = [10, 20, 30, 40];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 100)).toBe(40);
    expect(percentile(values, 50)).toBe(25);
    expect(percentile(values, 90)).toBeCloseTo(37, 10);
  });

  it('gives the only value for a single sample and NaN for none', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('rejects a percentile outside 0..100', () => {
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
    expect(() => percentile([1, 2], -1)).toThrow(RangeError);
  });

  it('p99 of 1..100 is 99.01', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 99)).toBeCloseTo(99.01, 10);
  });
});

describe('summarize', () => {
  it('sorts a copy and reports count, min, max, mean, median, p90 and p99', () => {
    const input = [5, 1, 4, 2, 3];
    const summary = summarize(input);
    expect(input).toEqual([5, 1, 4, 2, 3]);
    expect(summary).toEqual({
      count: 5,
      min: 1,
      max: 5,
      mean: 3,
      median: 3,
      p90: 4.6,
      p99: expect.closeTo(4.96, 10),
    });
  });

  it('reports NaN statistics and a zero count for no samples', () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    expect(summary.median).toBeNaN();
    expect(summary.mean).toBeNaN();
  });
});

describe('timeRatio', () => {
  it('is the contender median over the baseline median', () => {
    expect(timeRatio(300, 100)).toBe(3);
    expect(timeRatio(50, 100)).toBe(0.5);
  });

  it('is NaN when the baseline has no positive median', () => {
    expect(timeRatio(10, 0)).toBeNaN();
    expect(timeRatio(10, Number.NaN)).toBeNaN();
  });
});

describe('medianBy', () => {
  it('picks the whole item with the median value, leaving the input in its order', () => {
    const rounds = [
      { rps: 300, p99: 9 },
      { rps: 100, p99: 3 },
      { rps: 200, p99: 5 },
    ];
    expect(medianBy(rounds, (round) => round.rps)).toBe(rounds[2]);
    expect(rounds.map((round) => round.rps)).toEqual([300, 100, 200]);
  });

  it('picks the lower middle item of an even count, a measured one', () => {
    expect(medianBy([4, 1, 3, 2], (value) => value)).toBe(2);
  });

  it('refuses an empty input', () => {
    expect(() => medianBy([], (value: number) => value)).toThrow(RangeError);
  });
});
