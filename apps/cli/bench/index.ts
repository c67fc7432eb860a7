// Benchmarks for @gw/cli: `gw tokens` on a large generated file, all cores against one thread (the built binary).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BenchRow, printTable, writeResults } from '@gw/bench';
import { variedText } from '../test/varied-text.ts';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const megabytes = Number(process.env.GW_TOKENS_BENCH_MB ?? 200);
const rounds = Number(process.env.GW_TOKENS_BENCH_ROUNDS ?? 2);

if (!existsSync(binary)) throw new Error('Build first: pnpm --filter @gw/cli build');

// Prose-like text: the varied fragments, repeated to size (generating 200 MB of fresh random text is slow).
const block = `${variedText(1024 * 1024, 5)}\nThe quick brown fox jumps over the lazy dog.\n`;
const directory = await mkdtemp(join(tmpdir(), 'gw-tokens-bench-'));
const file = join(directory, 'input.txt');
await writeFile(file, block.repeat(Math.ceil((megabytes * 1e6) / Buffer.byteLength(block))));

async function timeRun(threads: number): Promise<{ seconds: number; tokens: number }> {
  const started = process.hrtime.bigint();
  const { stdout } = await run(
    process.execPath,
    [binary, 'tokens', file, '-m', 'gpt-4o', '--threads', String(threads), '--json'],
    {
      maxBuffer: 1 << 20,
    },
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, tokens: JSON.parse(stdout).tokens };
}

try {
  const cores = availableParallelism();
  const results: Record<string, { seconds: number[]; tokens: number }> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, threads] of [
      [`gw tokens, ${cores} threads`, cores],
      ['gw tokens, 1 thread', 1],
    ] as const) {
      const outcome = await timeRun(threads);
      results[name] ??= { seconds: [], tokens: outcome.tokens };
      results[name].seconds.push(outcome.seconds);
      if (results[name].tokens !== outcome.tokens) throw new Error(`${name}: counts differ between rounds`);
    }
  }
  const counts = new Set(Object.values(results).map((result) => result.tokens));
  if (counts.size !== 1)
    throw new Error(`parallel and single-threaded counts differ: ${[...counts].join(' vs ')}`);
  const bytes = Buffer.byteLength(block) * Math.ceil((megabytes * 1e6) / Buffer.byteLength(block));
  const rows: BenchRow[] = Object.entries(results).map(([name, result]) => {
    const sorted = [...result.seconds].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]! * 1e9;
    return {
      name,
      medianNs: median,
      p99Ns: sorted.at(-1)! * 1e9,
      meanNs: (sorted.reduce((sum, value) => sum + value, 0) / sorted.length) * 1e9,
      samples: sorted.length,
      opsPerSecond: 1e9 / median,
      megabytesPerSecond: bytes / 1e6 / (median / 1e9),
    };
  });
  const baseline = rows[0]!.name;
  printTable(
    `gw tokens on ${(bytes / 1e6).toFixed(0)} MB (${[...counts][0]!.toLocaleString('en-US')} tokens, whole process incl. start-up, ${rounds} rounds)`,
    rows,
    baseline,
  );
  console.log(`results: ${await writeResults('cli-tokens', { bytes, rows })}`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
