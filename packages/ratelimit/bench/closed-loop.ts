// A closed loop of N concurrent callers for a fixed time: throughput and per-call latency percentiles.
import { percentile } from '@gw/bench';

export interface LoopResult {
  decisionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  calls: number;
}

export async function closedLoop(
  callers: number,
  durationMs: number,
  call: () => Promise<unknown>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  const caller = async () => {
    while (performance.now() < deadline) {
      const before = performance.now();
      await call();
      latencies.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const elapsedSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    decisionsPerSecond: latencies.length / elapsedSeconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    calls: latencies.length,
  };
}
