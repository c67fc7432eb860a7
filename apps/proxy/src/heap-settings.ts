// The proxy process's V8 heap settings, which its executables apply before the gateway's modules load.
import { applyHeapGrowth } from './heap-growth.ts';
import { capYoungGeneration, type YoungGenerationCap } from './young-generation.ts';

export interface AppliedHeapSettings {
  /** Whether the old generation's growth was set (src/heap-growth.ts). */
  heapGrowth: boolean;
  /** The young generation's cap, when one was applied (src/young-generation.ts): `watch()` it once loaded. */
  youngGeneration: YoungGenerationCap | undefined;
}

/**
 * Applies both settings to this process; each yields to an operator's own flag and to its environment variable
 * (`GW_HEAP_GROWING_PERCENT`, `GW_YOUNG_GENERATION_MB`; 0 keeps V8's default). Call it before importing the
 * gateway: loading its modules is what first grows the young generation.
 */
export function applyHeapSettings(): AppliedHeapSettings {
  const heapGrowth = applyHeapGrowth();
  return { heapGrowth, youngGeneration: capYoungGeneration() };
}
