// Turns load samples into the numbers `gw bench` reports: throughput, latency and TTFT percentiles, errors.
import type { LoadOutcome } from './run-load.ts';

export interface Percentiles {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadSummary {
  requests: number;
  ok: number;
  failed: number;
  elapsedSeconds: number;
  /** Successful requests per second. */
  requestsPerSecond: number;
  /** Latency of successful requests, ms. */
  latencyMs: Percentiles | null;
  /** Time to first token of successful streams, ms. */
  ttftMs: Percentiles | null;
  /** Failed requests by reason (`HTTP 429`, `ECONNREFUSED`, `stream incomplete`...). */
  errors: Record<string, number>;
  /** Every HTTP response by status code. */
  statusCounts: Record<string, number>;
}

/** Linear interpolation between closest ranks over ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

export function summarizeLoad(outcome: LoadOutcome): LoadSummary {
  const ok = outcome.samples.filter((sample) => sample.ok);
  const errors: Record<string, number> = {};
  const statusCounts: Record<string, number> = {};
  for (const sample of outcome.samples) {
    if (sample.error !== undefined) errors[sample.error] = (errors[sample.error] ?? 0) + 1;
    if (sample.status !== undefined) statusCounts[sample.status] = (statusCounts[sample.status] ?? 0) + 1;
  }
  return {
    requests: outcome.samples.length,
    ok: ok.length,
    failed: outcome.samples.length - ok.length,
    elapsedSeconds: outcome.elapsedSeconds,
    requestsPerSecond: outcome.elapsedSeconds > 0 ? ok.length / outcome.elapsedSeconds : 0,
    latencyMs: percentiles(ok.map((sample) => sample.latencyMs)),
    ttftMs: percentiles(ok.flatMap((sample) => (sample.ttftMs === undefined ? [] : [sample.ttftMs]))),
    errors,
    statusCounts,
  };
}
