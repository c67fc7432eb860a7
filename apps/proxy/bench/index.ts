// `pnpm --filter @gw/proxy bench`: gw against the upstream directly, a bare Node pass-through, the bench's features
// written as one function (reference-server.ts) and the Portkey gateway, each server in its own process, at the
// same concurrency against the same mock upstream.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpLoad, type LoadResult, medianBy, writeResults } from '@gw/bench';
import { Redis } from 'ioredis';
import { type ChildServer, listeningLine, startChild } from './child-server.ts';
import { cpuMsOf, rssOf } from './rss.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
// Every contender is measured this many times, the rounds interleaved, and its median round is reported: one run
// of a few seconds swings by 10 % on a shared machine, which is as large as the differences being measured.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
// Each fresh-process memory probe runs this many times, each in a new process, and its median peak is reported:
// one probe's peak moves by about 10 MB from run to run, with the moment V8 chooses for its full collections.
const MEMORY_ROUNDS = Math.max(1, Number(process.env.BENCH_MEMORY_ROUNDS ?? 3));
// BENCH_ONLY=memory runs the 1,000-stream memory probes alone (fresh gw and the pass-through), for iterating on memory.
const memoryOnly = process.env.BENCH_ONLY === 'memory';
const VIRTUAL_KEY = 'sk-bench-virtual-key';
const source = ['--conditions=@gw/source', '--import', 'tsx'];
// gw runs from dist/ as users run it (`pnpm bench` builds first); BENCH_SOURCE=1 runs src/ through tsx instead,
// whose loader alone adds about 45 MB of RSS.
const built = process.env.BENCH_SOURCE !== '1';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `redisPrefix` moves the limits to Redis; `featuresOff` turns token counting, metrics and limits off (callers use
 * the master key), which leaves what every request pays for: the server, validation, routing and the upstream call.
 */
function gwConfig(
  mockUrl: string,
  { redisPrefix, featuresOff }: { redisPrefix?: string; featuresOff?: boolean } = {},
) {
  return {
    model_list: [
      {
        model_name: 'gpt-4o',
        litellm_params: { model: 'openai/gpt-4o', api_base: `${mockUrl}/v1`, api_key: 'sk-up' },
      },
      // The upstream pool caps each origin (256 connections + 512 queued), so 1,000 concurrent streams go to four
      // loopback addresses of the one mock: four origins, as four real deployments of a group would be.
      ...[1, 2, 3, 4].map((host) => ({
        model_name: 'gpt-4o-slow',
        litellm_params: {
          model: 'openai/gpt-4o-slow',
          api_base: `${mockUrl.replace('127.0.0.1', `127.0.0.${host}`)}/v1`,
          api_key: 'sk-up',
        },
        model_info: { id: `slow-${host}` },
      })),
    ],
    router_settings: {
      num_retries: 2,
      ...(redisPrefix ? { redis_host: '127.0.0.1', redis_port: 6379 } : {}),
    },
    general_settings: { master_key: 'sk-bench-master' },
    // Limits high enough never to refuse, so every request pays for the checks without being turned away.
    gw_settings: {
      log_level: 'warn',
      count_tokens: featuresOff !== true,
      metrics: featuresOff !== true,
      ...(redisPrefix ? { redis_prefix: redisPrefix } : {}),
      virtual_keys: [
        {
          key: VIRTUAL_KEY,
          alias: 'bench',
          rpm: 100_000_000,
          tpm: 1_000_000_000,
          max_parallel_requests: 100_000,
        },
      ],
    },
  };
}

/** Every contender is loaded on its own chat completions route. */
function chatUrl(server: ChildServer): string {
  return `${server.url}/v1/chat/completions`;
}

interface Contender {
  name: string;
  server: ChildServer;
  headers: Record<string, string>;
}

interface Row {
  name: string;
  mode: 'json' | 'stream';
  rps: number;
  p50: number;
  p99: number;
  ttfbP50?: number;
  ttfbP99?: number;
  ok: number;
  failed: number;
  /** CPU time the server process spent per request (the mock's own for `upstream direct`). */
  cpuMsPerRequest: number;
  /** Requests per second of every round, in the order they ran. */
  roundsRps: number[];
}

async function measure(contender: Contender, stream: boolean): Promise<Row> {
  const body = {
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Say the quick brown fox line, please.' }],
    stream,
  };
  const options = {
    url: chatUrl(contender.server),
    method: 'POST',
    headers: { ...contender.headers, 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    stream,
  };
  await httpLoad({ ...options, durationSeconds: 1 }); // warm-up: JIT, pools, keep-alive connections
  const cpuBefore = await cpuMsOf(contender.server.pid);
  const result: LoadResult = await httpLoad({ ...options, durationSeconds: SECONDS });
  const cpuMs = (await cpuMsOf(contender.server.pid)) - cpuBefore;
  return {
    name: contender.name,
    mode: stream ? 'stream' : 'json',
    rps: result.requestsPerSecond,
    p50: result.latencyMs.median,
    p99: result.latencyMs.p99,
    ...(result.ttfbMs ? { ttfbP50: result.ttfbMs.median, ttfbP99: result.ttfbMs.p99 } : {}),
    ok: result.ok,
    failed: result.requests - result.ok,
    cpuMsPerRequest: cpuMs / Math.max(1, result.requests),
    roundsRps: [result.requestsPerSecond],
  };
}

/** The round with the median req/s, whole (its latencies and CPU belong with its rate), listing every round's rate. */
function medianRound(rounds: readonly Row[]): Row {
  return { ...medianBy(rounds, (round) => round.rps), roundsRps: rounds.map((round) => round.rps) };
}

/**
 * One server's req/s over another's (gw's, mostly), round by round, and the median of those: the machine's pace
 * drifts between rounds, and a ratio within one round compares the two at the same pace.
 */
function ratioOf(subject: Row, other: Row): number {
  const ratios = subject.roundsRps.map((rps, round) => rps / (other.roundsRps[round] ?? Number.NaN));
  return medianBy(ratios, (ratio) => ratio);
}

/** Measures every contender ROUNDS times, round by round, so a slow spell of the machine hits all of them alike. */
async function measureRounds(contenders: readonly Contender[], stream: boolean): Promise<Row[]> {
  const rounds: Row[][] = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, contender] of contenders.entries())
      rounds[index]!.push(await measure(contender, stream));
  }
  return rounds.map(medianRound);
}

function table(title: string, rows: Row[], latency: 'total' | 'ttfb'): string {
  const direct = rows.find((row) => row.name === 'upstream direct');
  const gw = rows.find((row) => row.name === 'gw');
  const pick = (row: Row) =>
    (latency === 'ttfb' ? [row.ttfbP50 ?? row.p50, row.ttfbP99 ?? row.p99] : [row.p50, row.p99]) as [
      number,
      number,
    ];
  const header = [
    'server',
    'req/s',
    latency === 'ttfb' ? 'ttfb p50' : 'p50',
    latency === 'ttfb' ? 'ttfb p99' : 'p99',
    'added p50',
    'gw req/s ÷ this (median of rounds)',
    'server CPU/req',
    'failed',
    'req/s of each round',
  ];
  const lines = rows.map((row) => {
    const [p50, p99] = pick(row);
    const usable = row.ok > 0;
    return [
      row.name,
      usable ? row.rps.toFixed(0) : '-',
      usable ? `${p50.toFixed(2)} ms` : '-',
      usable ? `${p99.toFixed(2)} ms` : '-',
      usable && direct ? `${(p50 - pick(direct)[0]).toFixed(2)} ms` : '-',
      usable && gw ? `${ratioOf(gw, row).toFixed(2)}x` : '-',
      `${row.cpuMsPerRequest.toFixed(2)} ms`,
      String(row.failed),
      usable ? row.roundsRps.map((rps) => rps.toFixed(0)).join(' ') : '-',
    ];
  });
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...lines.map((line) => line[column]!.length)),
  );
  const render = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  return [
    title,
    '',
    render(header),
    `|${widths.map((width, column) => (column === 0 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
    ...lines.map(render),
  ].join('\n');
}

interface MemorySample {
  idle: number;
  peak: number;
  ok: number;
  streams: number;
  statusCounts: Record<string, number>;
  errors: number;
  /** Peak of every round, in the order they ran (one for the probe of the process that ran the throughput load). */
  peaks: number[];
}

/** The round with the median peak, whole, listing every round's peak. */
function medianPeak(rounds: readonly MemorySample[]): MemorySample {
  return { ...medianBy(rounds, (round) => round.peak), peaks: rounds.map((round) => round.peak) };
}

async function memoryAtStreams(gw: Contender, model = 'gpt-4o-slow'): Promise<MemorySample> {
  const idle = await rssOf(gw.server.pid);
  let peak = idle;
  const sampler = setInterval(() => {
    void rssOf(gw.server.pid).then((rss) => {
      if (rss > peak) peak = rss;
    });
  }, 100);
  const result = await httpLoad({
    url: chatUrl(gw.server),
    method: 'POST',
    headers: { ...gw.headers, 'content-type': 'application/json' },
    body: {
      model,
      messages: [{ role: 'user', content: 'a long, slow answer' }],
      stream: true,
    },
    connections: STREAMS,
    requests: STREAMS,
    stream: true,
    timeoutMs: 60_000,
  });
  clearInterval(sampler);
  return {
    idle,
    peak,
    ok: result.ok,
    streams: STREAMS,
    statusCounts: result.statusCounts,
    errors: result.errors,
    peaks: [peak],
  };
}

async function main() {
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'gw-proxy-bench-'));
  const redisPrefix = `gw-bench:${randomUUID()}:`;
  const servers: ChildServer[] = [];
  try {
    const mock = await startChild('mock upstream', [...source, here('./mock-server.ts')], listeningLine);
    servers.push(mock);
    const passthrough = await startChild(
      'pass-through',
      [...source, here('./passthrough-server.ts'), '--upstream', `${mock.url}/v1`],
      listeningLine,
    );
    servers.push(passthrough);
    const configPath = join(directory, 'gw.yaml');
    const redisConfigPath = join(directory, 'gw-redis.yaml');
    writeFileSync(configPath, JSON.stringify(gwConfig(mock.url)));
    writeFileSync(redisConfigPath, JSON.stringify(gwConfig(mock.url, { redisPrefix })));
    const bareConfigPath = join(directory, 'gw-features-off.yaml');
    writeFileSync(bareConfigPath, JSON.stringify(gwConfig(mock.url, { featuresOff: true })));
    // BENCH_GW_NODE_OPTIONS: extra Node flags for the gw processes (e.g. `--max-semi-space-size=4` to try a heap setting).
    const gwNodeFlags = (process.env.BENCH_GW_NODE_OPTIONS ?? '').split(' ').filter((flag) => flag !== '');
    const gwArgs = [
      ...gwNodeFlags,
      ...(built ? [here('../dist/main.js')] : [...source, here('../src/main.ts')]),
    ];
    const gw = await startChild('gw', [...gwArgs, '--port', '0', '--config', configPath], listeningLine);
    servers.push(gw);
    const gwRedis = await startChild(
      'gw + redis',
      [...gwArgs, '--port', '0', '--config', redisConfigPath],
      listeningLine,
    );
    servers.push(gwRedis);
    const gwBare = await startChild(
      'gw, features off',
      [...gwArgs, '--port', '0', '--config', bareConfigPath],
      listeningLine,
    );
    servers.push(gwBare);
    const reference = await startChild(
      'reference',
      // gw's packages from dist/, as gw itself runs: tsx would wrap every function it defines in a naming helper.
      [
        '--import',
        'tsx',
        here('./reference-server.ts'),
        '--upstream',
        `${mock.url}/v1`,
        '--key',
        VIRTUAL_KEY,
      ],
      listeningLine,
    );
    servers.push(reference);
    const portkeyPort = await freePort();
    const portkey = await startChild(
      'portkey',
      [
        '--import',
        here('./portkey-stream-headers.mjs'),
        fileURLToPath(import.meta.resolve('@portkey-ai/gateway/build/start-server.js')),
        `--port=${portkeyPort}`,
        '--headless',
      ],
      (output) => (output.includes('Ready for connections') ? `http://127.0.0.1:${portkeyPort}` : undefined),
    );
    servers.push(portkey);

    const auth = { authorization: `Bearer ${VIRTUAL_KEY}` };
    const contenders: Contender[] = [
      {
        name: 'upstream direct',
        server: mock,
        headers: { authorization: 'Bearer sk-up' },
      },
      {
        name: 'pass-through',
        server: passthrough,
        headers: { authorization: 'Bearer sk-up' },
      },
      { name: 'gw', server: gw, headers: auth },
      {
        name: 'gw + redis limits',
        server: gwRedis,
        headers: auth,
      },
      {
        name: 'gw, features off',
        server: gwBare,
        headers: { authorization: 'Bearer sk-bench-master' },
      },
      {
        name: 'reference: features in one function',
        server: reference,
        headers: auth,
      },
      {
        name: 'portkey',
        server: portkey,
        headers: {
          authorization: 'Bearer sk-up',
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `${mock.url}/v1`,
        },
      },
    ];

    const jsonRows = memoryOnly ? [] : await measureRounds(contenders, false);
    const streamRows = memoryOnly ? [] : await measureRounds(contenders, true);
    // A gw process that just ran at full throughput keeps the heap that load grew; a fresh one shows what the
    // streams themselves cost. Both are reported, beside the pass-through's, the floor for a Node process
    // holding 1,000 client and 1,000 upstream connections.
    const afterLoad = memoryOnly ? undefined : await memoryAtStreams(contenders[2]!);
    // Each memory probe gets a process of its own, so none inherits another's heap; MEMORY_ROUNDS of them.
    const freshProbe = async (
      name: string,
      args: string[],
      like: Contender,
      env: Record<string, string> = {},
    ): Promise<MemorySample> => {
      const rounds: MemorySample[] = [];
      for (let round = 0; round < MEMORY_ROUNDS; round++) {
        const server = await startChild(name, args, listeningLine, env);
        servers.push(server);
        rounds.push(await memoryAtStreams({ ...like, server }));
        await server.stop();
      }
      return medianPeak(rounds);
    };
    const gwFreshArgs = [...gwArgs, '--port', '0', '--config', configPath];
    const memory = await freshProbe('gw (fresh, for memory)', gwFreshArgs, contenders[2]!);
    // The same with V8's default heap growth, which the proxy replaces by 20% (src/heap-growth.ts).
    const v8DefaultMemory = await freshProbe(
      'gw (fresh, V8 default heap growth)',
      gwFreshArgs,
      contenders[2]!,
      {
        GW_HEAP_GROWING_PERCENT: '0',
      },
    );
    const passthroughMemory = await freshProbe(
      'pass-through (fresh, for memory)',
      [
        ...source,
        here('./passthrough-server.ts'),
        '--upstream',
        `${mock.url}/v1`,
        '--connections',
        String(STREAMS),
      ],
      contenders[1]!,
    );

    const note = `${CONNECTIONS} connections, ${SECONDS} s per contender after a 1 s warm-up, median of ${ROUNDS} interleaved rounds, each server in its own process, Node ${process.version}`;
    if (!memoryOnly) {
      console.log(table(`Chat completions, JSON (${note})`, jsonRows, 'total'));
      console.log();
      console.log(
        table(
          'Chat completions, streaming (latency = time to first byte; req/s = whole streams)',
          streamRows,
          'ttfb',
        ),
      );
      console.log();
    }
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const gwHow = built ? 'built dist' : 'sources through tsx';
    const samples = [
      ['a fresh gw process', memory, gwHow],
      ...(afterLoad ? [['the gw process after the throughput runs', afterLoad, gwHow] as const] : []),
      [
        "a fresh gw process with V8's default heap growth (GW_HEAP_GROWING_PERCENT=0)",
        v8DefaultMemory,
        gwHow,
      ],
      [
        'a fresh pass-through process',
        passthroughMemory,
        'source through tsx; built, the same server idles at about 60 MB and peaks at 119 to 127 MB',
      ],
    ] as const;
    for (const [label, sample, how] of samples) {
      console.log(
        `RSS of ${label} with ${sample.streams} concurrent slow streams (${how}): idle ${mb(sample.idle)}, peak ${mb(sample.peak)}${sample.peaks.length > 1 ? ` (median of ${sample.peaks.length} fresh processes: ${sample.peaks.map(mb).join(', ')})` : ''}, +${mb(sample.peak - sample.idle)} for the streams (${sample.ok}/${sample.streams} completed; statuses ${JSON.stringify(sample.statusCounts)}, ${sample.errors} without a response)`,
      );
    }
    if (!memoryOnly) {
      const pass = jsonRows.find((row) => row.name === 'pass-through')!;
      const gwRow = jsonRows.find((row) => row.name === 'gw')!;
      const portkeyRow = jsonRows.find((row) => row.name === 'portkey')!;
      const streamPass = streamRows.find((row) => row.name === 'pass-through')!;
      const streamGw = streamRows.find((row) => row.name === 'gw')!;
      const streamPortkey = streamRows.find((row) => row.name === 'portkey')!;
      console.log(
        `goals: gw/pass-through req/s ${ratioOf(gwRow, pass).toFixed(2)}x (goal >= 0.8x), gw/portkey ${ratioOf(gwRow, portkeyRow).toFixed(2)}x (goal >= 10x), RSS ${mb(memory.peak)} fresh, ${mb(afterLoad!.peak)} after load (goal < 150 MB)`,
      );
      console.log(
        `streams: gw/pass-through ${ratioOf(streamGw, streamPass).toFixed(2)}x, gw/portkey ${streamPortkey.ok > 0 ? `${ratioOf(streamGw, streamPortkey).toFixed(2)}x` : 'no completed Portkey stream'}`,
      );
      // The floor's own distance to Portkey, same rounds: what the 10x goal asks is measured against it.
      const floorOverPortkey = ratioOf(pass, portkeyRow);
      console.log(
        `ceiling: pass-through/portkey req/s ${floorOverPortkey.toFixed(2)}x in this run (no logic at all)${floorOverPortkey < 10 ? ': below 10x, so no gateway in Node doing any work reaches 10x Portkey here' : ''}`,
      );
    }
    console.log(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (!memoryOnly) {
      await writeResults('proxy', {
        json: jsonRows,
        stream: streamRows,
        memory,
        memoryAfterLoad: afterLoad,
        v8DefaultMemory,
        passthroughMemory,
      });
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(directory, { recursive: true, force: true });
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    try {
      await redis.connect();
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } catch {
      // Redis down: nothing of ours is there to clean.
    } finally {
      redis.disconnect();
    }
  }
}

await main();
