// The proxy process's old-generation setting: it may grow 20% past what a full collection kept.
import { setFlagsFromString } from 'node:v8';
import { hasOwnNodeFlag } from './node-flags.ts';

/**
 * V8's default lets the old generation grow to several times what the last full collection kept. A gateway
 * holding a thousand streams promotes their short-lived waiting state, so the heap grows by garbage until that
 * limit: measured peak RSS with 1,000 concurrent streams 195–267 MB by default, 175–188 MB at 20%, for about
 * 4 µs more full-collection time per JSON request (see the README).
 */
export const defaultHeapGrowingPercent = 20;

/** The flag to apply, or undefined when the process was started with its own (node flags or NODE_OPTIONS). */
export function heapGrowthFlag(
  percent: number,
  execArgv: readonly string[],
  nodeOptions: string,
): string | undefined {
  if (hasOwnNodeFlag(/heap[-_]growing[-_]percent/, execArgv, nodeOptions) || !(percent > 0)) return undefined;
  return `--heap-growing-percent=${Math.round(percent)}`;
}

/**
 * Applies the proxy's heap growth to this process (the executables call it; `startProxy` does not, as a library
 * must not change process-wide settings). Returns whether it did. `GW_HEAP_GROWING_PERCENT=0` keeps V8's default.
 */
export function applyHeapGrowth(
  percent = Number(process.env.GW_HEAP_GROWING_PERCENT ?? defaultHeapGrowingPercent),
): boolean {
  const flag = heapGrowthFlag(percent, process.execArgv, process.env.NODE_OPTIONS ?? '');
  if (flag === undefined) return false;
  setFlagsFromString(flag);
  return true;
}
