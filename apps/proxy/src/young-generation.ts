// Caps V8's young generation in the proxy process, which V8 otherwise grows to 32 MB and seldom gives back.
import {
  constants,
  type PerformanceEntry,
  PerformanceObserver,
  type PerformanceObserverEntryList,
} from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { hasOwnNodeFlag } from './node-flags.ts';

/**
 * Young generation of the proxy process in MB (both semi-spaces): 8 where V8's default grows to 32. Loading the
 * gateway's modules alone grows it to the maximum, and a thousand open streams keep it there. Measured with
 * 1,000 open streams: peak RSS 147-157 MB at 8, 161-167 at 16, 170-180 at V8's default; JSON CPU per request
 * was within this machine's noise across the three in alternating runs (see the README). Smaller means more
 * scavenges and more short-lived stream state promoted, so it is not taken lower.
 */
export const defaultYoungGenerationMb = 8;

const megabyte = 1024 * 1024;

/**
 * The cap in bytes to apply, or undefined: when asked for 0 (V8's default) or no number, and when the process
 * was started with semi-space settings of its own (node flags or NODE_OPTIONS), which are left alone.
 */
export function youngGenerationCapBytes(
  capMb: number,
  execArgv: readonly string[],
  nodeOptions: string,
): number | undefined {
  if (hasOwnNodeFlag(/semi[-_]space/, execArgv, nodeOptions) || !(capMb > 0)) return undefined;
  return Math.round(capMb * megabyte);
}

/** The young generation as the cap sees it: V8's, or a stand-in in tests. */
export interface YoungGenerationHeap {
  /** Its size in bytes (both semi-spaces); 0 when unknown. */
  size(): number;
  /** V8 reads the growth factor at each resize; set at run time, 1 is taken as it is (no growth). */
  setGrowthFactor(factor: number): void;
  /** Allocates short-lived survivors until the size changes (or a bound): what makes V8 scavenge and resize. */
  churn(): void;
}

function v8YoungGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') return space.space_size;
  }
  return 0;
}

const v8Heap: YoungGenerationHeap = {
  size: v8YoungGenerationBytes,
  setGrowthFactor(factor) {
    setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  },
  churn() {
    const size = v8YoungGenerationBytes();
    const survivors: number[][] = [];
    while (survivors.length < survivorLimit) {
      for (let index = 0; index < 1024; index++) survivors.push([index]);
      if (v8YoungGenerationBytes() !== size) break;
    }
  },
};

/**
 * How growing went: `at-cap`; `short` (V8 resized, but shrank it back meanwhile, as its memory reducer does
 * after a quiet spell: growth stays frozen and the next scavenge tries again); `ignored` (V8 never resized, so
 * the growth factor has no effect here).
 */
export type GrowOutcome = 'at-cap' | 'short' | 'ignored';

/** Rounds of growing per attempt: from V8's smallest young generation (1 MB), 8 doublings reach 256 MB. */
const growRounds = 8;

/**
 * Grows the young generation to `capBytes` now, synchronously, and freezes it there. `--max-semi-space-size`
 * can only be given when the process starts, and V8 grows the young generation (by its growth factor, after a
 * scavenge in which more than its size survived) at moments of its own choosing, several times within one busy
 * task. So growth stays off (factor 1) except here: doublings while it is at most half the cap, each driven by
 * short-lived survivors until V8 resizes.
 */
export function growYoungGeneration(capBytes: number, heap: YoungGenerationHeap = v8Heap): GrowOutcome {
  let resized = false;
  for (let round = 0; round < growRounds; round++) {
    const size = heap.size();
    if (size === 0 || size * 2 > capBytes) break;
    // Doubling, never a factor that lands on the cap at once: V8 may resize from another size than the one
    // just read (its memory reducer shrinks it in quiet spells), and a larger factor then overshoots the cap.
    heap.setGrowthFactor(2);
    heap.churn();
    if (heap.size() !== size) resized = true;
  }
  heap.setGrowthFactor(1);
  const size = heap.size();
  if (size * 2 > capBytes && size <= capBytes) return 'at-cap';
  return resized ? 'short' : 'ignored';
}

/** Enough small arrays to survive several scavenges of the largest young generation, should V8 never resize. */
const survivorLimit = 4 * 1024 * 1024;

export interface YoungGenerationCap {
  readonly capBytes: number;
  /**
   * Grows the young generation to the cap once the gateway has loaded, and again whenever load returns after
   * V8 shrank it in a quiet spell. If V8 ignores the growth factor, growth goes back to V8.
   */
  watch(): void;
  /** Stops watching collections and gives growth back to V8. */
  stop(): void;
}

function isScavenge(entry: PerformanceEntry): boolean {
  return (
    (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ===
    constants.NODE_PERFORMANCE_GC_MINOR
  );
}

/**
 * Applies the cap to this process (the executables call it before loading the gateway; `startProxy` does not,
 * as a library must not change process-wide settings): the young generation stays at its initial size until
 * `watch()`. `GW_YOUNG_GENERATION_MB=0` keeps V8's default.
 */
export function capYoungGeneration(
  capMb = Number(process.env.GW_YOUNG_GENERATION_MB ?? defaultYoungGenerationMb),
): YoungGenerationCap | undefined {
  const capBytes = youngGenerationCapBytes(capMb, process.execArgv, process.env.NODE_OPTIONS ?? '');
  if (capBytes === undefined) return undefined;
  v8Heap.setGrowthFactor(1);
  let observer: PerformanceObserver | undefined;
  const stop = () => {
    observer?.disconnect();
    observer = undefined;
    v8Heap.setGrowthFactor(2);
  };
  // A scavenge means allocation is under way; below the cap then, V8 shrank it while the process was quiet.
  const regrow = (list: PerformanceObserverEntryList) => {
    if (v8Heap.size() * 2 > capBytes || !list.getEntries().some(isScavenge)) return;
    // Short of the cap, growth stays frozen and the next scavenge tries again: handing growth back to V8
    // would let it double to 32 MB under the very load that follows a quiet spell.
    if (growYoungGeneration(capBytes) === 'ignored') stop();
  };
  return {
    capBytes,
    watch() {
      if (observer !== undefined) return;
      if (growYoungGeneration(capBytes) === 'ignored') {
        stop();
        return;
      }
      observer = new PerformanceObserver(regrow);
      observer.observe({ entryTypes: ['gc'] });
    },
    stop,
  };
}
