// Renders a comparison as a fixed-width text table and prints it.

import { formatDuration, formatRate, formatRatio } from './format-units.ts';
import { timeRatio } from './statistics.ts';

/** One contender's measured numbers, in nanoseconds per call. */
export interface BenchRow {
  name: string;
  medianNs: number;
  p99Ns: number;
  meanNs: number;
  samples: number;
  opsPerSecond: number;
  /** Present when the caller said how many bytes one call processes. */
  megabytesPerSecond?: number;
}

/** A row with its time relative to the baseline (`medianNs / baseline.medianNs`; above 1 means slower). */
export interface ComparisonRow extends BenchRow {
  ratio: number;
}

/** Adds each row's ratio to the named baseline; NaN when the baseline is absent. */
export function withRatios(rows: readonly BenchRow[], baseline: string): ComparisonRow[] {
  const base = rows.find((row) => row.name === baseline);
  return rows.map((row) => ({ ...row, ratio: base ? timeRatio(row.medianNs, base.medianNs) : Number.NaN }));
}

/** The table as text: name, median, p99, throughput (MB/s when known, else ops/s) and the ratio to baseline. */
export function formatTable(title: string, rows: readonly BenchRow[], baseline: string): string {
  const withRatio = withRatios(rows, baseline);
  const showBytes = rows.some((row) => row.megabytesPerSecond !== undefined);
  const header = ['name', 'median', 'p99', showBytes ? 'MB/s' : 'ops/s', `vs ${baseline}`];
  const body = withRatio.map((row) => [
    row.name,
    formatDuration(row.medianNs),
    formatDuration(row.p99Ns),
    showBytes
      ? row.megabytesPerSecond === undefined
        ? '-'
        : row.megabytesPerSecond.toFixed(1)
      : formatRate(row.opsPerSecond, 'ops/s').replace(' ops/s', ''),
    formatRatio(row.ratio, row.name === baseline),
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...body.map((line) => line[column]!.length)),
  );
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [title, render(header), rule, ...body.map(render)].join('\n');
}

/** Prints the table to stdout, followed by a blank line. */
export function printTable(title: string, rows: readonly BenchRow[], baseline: string): void {
  process.stdout.write(`${formatTable(title, rows, baseline)}\n\n`);
}
