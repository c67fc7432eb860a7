// A closed-loop driver: N callers each issue a request, wait for the whole response, and go again.
export interface LoopResult {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  latenciesMs: number[];
  /** Client process CPU time (user + system), which contention from other processes inflates far less than wall time. */
  cpuMicros: number;
}

export async function closedLoop(
  call: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<LoopResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const stopAt = started + durationMs;
  async function caller(): Promise<void> {
    while (performance.now() < stopAt) {
      const begin = performance.now();
      try {
        await call();
        latenciesMs.push(performance.now() - begin);
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    cpuMicros: cpu.user + cpu.system,
    requests: latenciesMs.length,
    errors,
    requestsPerSecond: (latenciesMs.length * 1000) / elapsed,
    latenciesMs,
  };
}
