// Human-readable durations and rates for benchmark tables.

/** Formats nanoseconds with a unit chosen so the number has at most four significant digits before the point. */
export function formatDuration(nanoseconds: number): string {
  if (!Number.isFinite(nanoseconds)) return '-';
  const units: Array<[string, number]> = [
    ['s', 1e9],
    ['ms', 1e6],
    ['µs', 1e3],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(nanoseconds) >= size) return `${(nanoseconds / size).toFixed(2)} ${unit}`;
  }
  return `${nanoseconds.toFixed(2)} ns`;
}

/** Formats a per-second rate with k/M/G suffixes. */
export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return '-';
  const steps: Array<[string, number]> = [
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ];
  for (const [prefix, size] of steps) {
    if (Math.abs(perSecond) >= size) return `${(perSecond / size).toFixed(2)}${prefix} ${unit}`;
  }
  return `${perSecond.toFixed(2)} ${unit}`;
}

/** Formats a time ratio against the baseline as the reader wants it: "1.00x", "2.50x slower", "4.00x faster". */
export function formatRatio(ratio: number, isBaseline: boolean): string {
  if (isBaseline) return 'baseline';
  if (!Number.isFinite(ratio) || ratio <= 0) return '-';
  if (ratio >= 1) return `${ratio.toFixed(2)}x slower`;
  return `${(1 / ratio).toFixed(2)}x faster`;
}
