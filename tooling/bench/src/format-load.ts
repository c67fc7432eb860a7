// Renders an httpLoad result as a short text report.

import type { LoadResult } from './http-load.ts';
import type { Summary } from './statistics.ts';

const milliseconds = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : '-');

function summaryLine(label: string, summary: Summary): string {
  return `${label.padEnd(8)} p50 ${milliseconds(summary.median)}  p90 ${milliseconds(summary.p90)}  p99 ${milliseconds(summary.p99)}  max ${milliseconds(summary.max)}`;
}

/** The report as text: throughput, latency (and TTFB) percentiles, statuses and errors. */
export function formatLoadResult(title: string, result: LoadResult): string {
  const mode =
    result.rate === undefined ? `${result.connections} connections` : `${result.rate} req/s offered`;
  const lines = [
    `${title} (${result.engine}, ${mode}, ${result.elapsedSeconds.toFixed(1)} s)`,
    `requests ${result.requests}  ok ${result.ok}  ${result.requestsPerSecond.toFixed(1)} req/s`,
    summaryLine('latency', result.latencyMs),
  ];
  if (result.ttfbMs) lines.push(summaryLine('ttfb', result.ttfbMs));
  const statuses = Object.entries(result.statusCounts)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  lines.push(`statuses ${statuses || 'none'}`);
  if (result.errors > 0) {
    const messages = Object.entries(result.errorMessages)
      .map(([message, count]) => `${message}: ${count}`)
      .join(', ');
    lines.push(`errors   ${result.errors} (${messages})`);
  }
  return lines.join('\n');
}
