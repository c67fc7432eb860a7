// Runs one phase of a benchmark in a fresh Node process, so no phase inherits another's heap, timers or JIT state.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultPathVariable = 'GW_BENCH_PHASE_RESULT';

/**
 * Starts `script` with this process's Node flags (`--expose-gc`, `--import tsx`, conditions; or `nodeArguments`)
 * and `args`, its output going to this process's, and resolves with what it passed to `reportPhase`. A peer that
 * keeps a timer per key (rate-limiter-flexible's memory store does, for a minute) or a phase that leaves a large
 * heap behind would otherwise slow whichever phase runs next in the same process.
 */
export async function runPhase<T>(
  script: string | URL,
  args: readonly string[] = [],
  nodeArguments: readonly string[] = process.execArgv,
): Promise<T> {
  const path = typeof script === 'string' ? script : fileURLToPath(script);
  const directory = mkdtempSync(join(tmpdir(), 'gw-bench-phase-'));
  const resultPath = join(directory, 'result.json');
  try {
    const child = spawn(process.execPath, [...nodeArguments, path, ...args], {
      stdio: 'inherit',
      env: { ...process.env, [resultPathVariable]: resultPath },
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    const phase = [path, ...args].join(' ');
    if (code !== 0) throw new Error(`Benchmark phase ${phase} exited with ${code ?? signal}.`);
    if (!existsSync(resultPath))
      throw new Error(`Benchmark phase ${phase} ended without calling reportPhase().`);
    return JSON.parse(readFileSync(resultPath, 'utf8')) as T;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Hands a phase's result (anything JSON can carry) back to the `runPhase` that started this process. */
export function reportPhase(value: unknown): void {
  const resultPath = process.env[resultPathVariable];
  if (resultPath === undefined) {
    throw new Error('reportPhase() answers runPhase(): start this script through runPhase(), not directly.');
  }
  writeFileSync(resultPath, JSON.stringify(value));
}
