// Benchmarks for @gw/pool: gw's pool against bare undici, node:http and fetch on one local upstream.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { formatDuration, formatRate, summarize, writeResults } from '@gw/bench';
import { closedLoop } from './closed-loop.ts';
import {
  type Contender,
  fetchContender,
  gwContender,
  nodeHttpContender,
  undiciContender,
} from './contenders.ts';

const concurrencies = [1, 32, 256];
const modes = [
  { name: 'non-streaming', path: '/json', stream: false },
  { name: 'streaming (16 SSE events)', path: '/stream', stream: true },
];
const roundMs = Number(process.env.GW_POOL_BENCH_ROUND_MS ?? 500);
const rounds = 4;
const warmupMs = 600;
// Present when node runs with --expose-gc, as `pnpm bench` does.
const collectGarbage = (globalThis as { gc?: () => void }).gc;

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectGarbage?.();
}

async function startUpstream(): Promise<{ origin: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./upstream-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  return { origin: `http://127.0.0.1:${data.toString().trim()}`, child };
}

interface Cell {
  mode: string;
  concurrency: number;
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  errors: number;
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
    .join('  ');
}

function render(results: Cell[]): string {
  const header = [
    'mode / callers',
    'client',
    'req/s',
    'p50',
    'p99',
    'req/s vs gw',
    'CPU/req',
    'CPU vs gw',
    'errors',
  ];
  const lines = results.map((cell) => {
    const gw = results.find(
      (other) =>
        other.mode === cell.mode && other.concurrency === cell.concurrency && other.name === 'gw pool',
    );
    const ratio = gw === undefined ? Number.NaN : cell.requestsPerSecond / gw.requestsPerSecond;
    const cpuRatio = gw === undefined ? Number.NaN : cell.cpuMicrosPerRequest / gw.cpuMicrosPerRequest;
    return [
      `${cell.mode} / ${cell.concurrency}`,
      cell.name,
      formatRate(cell.requestsPerSecond, '').trim(),
      formatDuration(cell.p50Ms * 1e6),
      formatDuration(cell.p99Ms * 1e6),
      cell.name === 'gw pool' ? 'baseline' : `${ratio.toFixed(2)}x`,
      `${cell.cpuMicrosPerRequest.toFixed(1)} µs`,
      cell.name === 'gw pool' ? 'baseline' : `${cpuRatio.toFixed(2)}x`,
      String(cell.errors),
    ];
  });
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...lines.map((line) => line[column]!.length)),
  );
  return [
    row(header, widths),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...lines.map((line) => row(line, widths)),
  ].join('\n');
}

async function main(): Promise<void> {
  const { origin, child } = await startUpstream();
  const results: Cell[] = [];
  try {
    for (const mode of modes) {
      for (const concurrency of concurrencies) {
        const contenders: Contender[] = [
          gwContender(origin),
          undiciContender(origin),
          nodeHttpContender(origin),
          fetchContender(origin),
        ];
        const samples = new Map<
          string,
          { latencies: number[]; requests: number; seconds: number; errors: number; cpuMicros: number }
        >();
        // Untimed warm-up opens the connections and lets the JIT settle for every client.
        for (const contender of contenders)
          await closedLoop(() => contender.call(mode.path, mode.stream), concurrency, warmupMs);
        // Rounds interleave the clients so drift on the shared machine spreads over all of them.
        for (let round = 0; round < rounds; round++) {
          // Alternate forward and reverse order, settle and collect garbage between clients, so no client
          // pays for the deferred work and garbage of the one before it (fetch leaves a lot of both).
          const order = round % 2 === 0 ? contenders : [...contenders].reverse();
          for (const contender of order) {
            await settle();
            const outcome = await closedLoop(
              () => contender.call(mode.path, mode.stream),
              concurrency,
              roundMs,
            );
            const entry = samples.get(contender.name) ?? {
              latencies: [],
              requests: 0,
              seconds: 0,
              errors: 0,
              cpuMicros: 0,
            };
            entry.latencies.push(...outcome.latenciesMs);
            entry.requests += outcome.requests;
            entry.seconds += outcome.requests / outcome.requestsPerSecond;
            entry.errors += outcome.errors;
            entry.cpuMicros += outcome.cpuMicros;
            samples.set(contender.name, entry);
          }
        }
        for (const contender of contenders) {
          const entry = samples.get(contender.name)!;
          const summary = summarize(entry.latencies);
          results.push({
            mode: mode.name,
            concurrency,
            name: contender.name,
            requestsPerSecond: entry.requests / entry.seconds,
            p50Ms: summary.median,
            p99Ms: summary.p99,
            cpuMicrosPerRequest: entry.cpuMicros / entry.requests,
            errors: entry.errors,
          });
          await contender.close();
        }
        process.stderr.write(`done: ${mode.name} at ${concurrency} callers\n`);
      }
    }
  } finally {
    child.kill();
  }
  console.log(
    `@gw/pool: closed loop, ${rounds} interleaved rounds of ${roundMs} ms per client, against a local node:http upstream in a child process.`,
  );
  console.log(
    'req/s vs gw above 1 = faster than gw; CPU vs gw above 1 = more client CPU per request than gw.',
  );
  console.log(
    'The machine has 2 cores shared with other work: wall-time numbers are noisy, CPU/req less so.',
  );
  console.log(render(results));
  const path = await writeResults('pool-clients', results);
  console.log(`\nresults: ${path}`);
}

await main();
