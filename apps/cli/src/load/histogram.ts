// Equal-width latency bins shared by the terminal histogram and the HTML report.

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** Splits [min, max] into `binCount` equal bins; the last bin includes max. Empty input gives no bins. */
export function buildHistogram(values: readonly number[], binCount: number): HistogramBin[] {
  if (values.length === 0) return [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (max === min) return [{ from: min, to: max, count: values.length }];
  const width = (max - min) / binCount;
  const bins = Array.from({ length: binCount }, (_, index) => ({
    from: min + index * width,
    to: index === binCount - 1 ? max : min + (index + 1) * width,
    count: 0,
  }));
  for (const value of values) bins[Math.min(binCount - 1, Math.floor((value - min) / width))]!.count++;
  return bins;
}
