// Order statistics over measured samples: the numbers every table and JSON result is built from.

export interface Summary {
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
  p99: number;
}

/**
 * The p-th percentile (0..100) of ascending-sorted values, interpolating linearly between the two nearest ranks
 * (the same definition as numpy's default), so small sample sets still give stable, monotone answers.
 */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const rank = (p / 100) * (sortedValues.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sortedValues[lower]!;
  const high = sortedValues[upper]!;
  return low + (high - low) * (rank - lower);
}

/** Summarises samples in any unit; the input is not modified. An empty input gives NaN everywhere but count. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const count = sorted.length;
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count,
    min: count === 0 ? Number.NaN : sorted[0]!,
    max: count === 0 ? Number.NaN : sorted[count - 1]!,
    mean: count === 0 ? Number.NaN : total / count,
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}

/**
 * How many times longer a contender takes than the baseline (median over median): 1 is a tie, 2 means the
 * contender needs twice gw's time, 0.5 means it needs half.
 */
export function timeRatio(contenderMedian: number, baselineMedian: number): number {
  if (!(baselineMedian > 0) || !Number.isFinite(contenderMedian)) return Number.NaN;
  return contenderMedian / baselineMedian;
}

/**
 * The item whose value is the median, whole (a round's latencies and CPU belong with its rate); with an even
 * count, the lower of the two middle ones, so the answer is always a measured item. The input is not modified.
 */
export function medianBy<Item>(items: readonly Item[], value: (item: Item) => number): Item {
  if (items.length === 0) throw new RangeError('medianBy() needs at least one item');
  const sorted = [...items].sort((left, right) => value(left) - value(right));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
