// Microbenchmark comparison: every contender runs the same work in this process, warmed up, then measured with mitata.

import { measure } from 'mitata';
import { type ComparisonRow, printTable, withRatios } from './format-table.ts';
import { summarize } from './statistics.ts';

export interface Contender {
  name: string;
  /** One call of the work being measured; may return a promise, which is awaited. */
  fn: () => unknown;
  /** Runs once before this contender's rounds (not timed). */
  setup?: () => unknown;
  /** Runs once after this contender's rounds (not timed), also when a round throws. */
  teardown?: () => unknown;
}

export interface CompareOptions {
  title: string;
  /** The contender the others are compared with. Default `'gw'`. */
  baseline?: string;
  contenders: Contender[];
  /** Untimed calls before measuring, per contender. Default 200 ms. */
  warmupMs?: number;
  /** Minimum number of timed samples per contender. Default 30. */
  minSamples?: number;
  /** Minimum measured time per contender, spread across rounds. Default 600 ms. */
  minTimeMs?: number;
  /**
   * The measured time is split into this many rounds, interleaving contenders, so a slow drift of the machine
   * (another process, thermal throttling) spreads over all of them instead of penalising whichever ran last.
   * Default 3.
   */
  rounds?: number;
  /** Bytes one call processes; adds MB/s to the table. */
  bytesPerCall?: number;
  /** Print the table (default true). */
  print?: boolean;
}

export interface ComparisonResult {
  title: string;
  baseline: string;
  rows: ComparisonRow[];
  /** Per-contender sample times in nanoseconds, sorted, for anyone who wants their own statistics. */
  samplesNs: Record<string, number[]>;
}

async function warmUp(fn: () => unknown, warmupMs: number): Promise<void> {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(warmupMs * 1e6));
  do {
    const result = fn();
    if (result instanceof Promise) await result;
  } while (process.hrtime.bigint() < deadline);
}

/** Runs each contender on the same work and returns (and by default prints) the comparison table. */
export async function compare(options: CompareOptions): Promise<ComparisonResult> {
  const baseline = options.baseline ?? 'gw';
  const rounds = Math.max(1, Math.floor(options.rounds ?? 3));
  const minSamples = options.minSamples ?? 30;
  const minTimeMs = options.minTimeMs ?? 600;
  const names = new Set<string>();
  for (const contender of options.contenders) {
    if (names.has(contender.name)) throw new Error(`compare(): two contenders are named "${contender.name}"`);
    names.add(contender.name);
  }
  if (!names.has(baseline)) {
    throw new Error(
      `compare(): the baseline "${baseline}" is not among the contenders (${[...names].join(', ')})`,
    );
  }

  const samples = new Map<string, number[]>(options.contenders.map((contender) => [contender.name, []]));
  for (const contender of options.contenders) await contender.setup?.();
  try {
    for (const contender of options.contenders) await warmUp(contender.fn, options.warmupMs ?? 200);
    for (let round = 0; round < rounds; round++) {
      for (const contender of options.contenders) {
        const stats = await measure(contender.fn, {
          min_samples: Math.ceil(minSamples / rounds),
          min_cpu_time: (minTimeMs / rounds) * 1e6,
        });
        samples.get(contender.name)!.push(...stats.samples);
      }
    }
  } finally {
    for (const contender of options.contenders) await contender.teardown?.();
  }

  const rows = withRatios(
    options.contenders.map((contender) => {
      const summary = summarize(samples.get(contender.name)!);
      const opsPerSecond = 1e9 / summary.median;
      return {
        name: contender.name,
        medianNs: summary.median,
        p99Ns: summary.p99,
        meanNs: summary.mean,
        samples: summary.count,
        opsPerSecond,
        ...(options.bytesPerCall === undefined
          ? {}
          : { megabytesPerSecond: (options.bytesPerCall * opsPerSecond) / 1e6 }),
      };
    }),
    baseline,
  );
  if (options.print !== false) printTable(options.title, rows, baseline);
  const samplesNs: Record<string, number[]> = {};
  for (const [name, values] of samples) samplesNs[name] = values.sort((a, b) => a - b);
  return { title: options.title, baseline, rows, samplesNs };
}
