// Draws latency bins as horizontal bars for the terminal.
import type { HistogramBin } from './histogram.ts';

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** One line per bin: range, a bar scaled to the fullest bin (eighth-block precision), and the count. */
export function drawHistogram(bins: readonly HistogramBin[], width = 40): string {
  const fullest = Math.max(1, ...bins.map((bin) => bin.count));
  const labels = bins.map((bin) => `${bin.from.toFixed(1)}-${bin.to.toFixed(1)} ms`);
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  return bins
    .map((bin, index) => {
      const eighths = Math.round((bin.count / fullest) * width * 8);
      const bar = '█'.repeat(Math.floor(eighths / 8)) + BLOCKS[eighths % 8];
      return `${labels[index]!.padStart(labelWidth)} │${bar.padEnd(width)} ${bin.count}`;
    })
    .join('\n');
}
