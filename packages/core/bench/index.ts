// Pipeline overhead per request (everything but the upstream wait), memory and Redis limits, JSON and streams.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config.ts';
import type { Gateway } from '../src/pipeline/create-gateway.ts';
import { createGateway } from '../src/pipeline/create-gateway-from-config.ts';
import type { GatewayJsonResponse, GatewayStreamResponse } from '../src/pipeline/pipeline-context.ts';
import { openAIProvider } from '../src/providers/openai-provider.ts';
import type { Provider, UpstreamHttpResponse } from '../src/types/provider.ts';

const MEASURED = Number(process.env.GW_BENCH_REQUESTS ?? 20_000);
const WARMUP = Math.min(5_000, MEASURED / 2);
const encoder = new TextEncoder();

const completionBytes = encoder.encode(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4o-mini',
    choices: [
      { index: 0, message: { role: 'assistant', content: 'The quick brown fox.' }, finish_reason: 'stop' },
    ],
    usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
  }),
);
const streamBytes = encoder.encode(
  [
    ...['The ', 'quick ', 'brown ', 'fox.'].map(
      (content) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`,
    ),
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 } })}\n\n`,
    'data: [DONE]\n\n',
  ].join(''),
);

async function* once(bytes: Uint8Array) {
  yield bytes;
}

/** OpenAI's provider with a zero-latency in-process upstream: the measured time is gw's own. */
const inProcessOpenAI: Provider = {
  ...openAIProvider,
  async fetch(request): Promise<UpstreamHttpResponse> {
    const stream = request.body?.includes('"stream":true') === true;
    return {
      status: 200,
      headers: { 'content-type': stream ? 'text/event-stream' : 'application/json' },
      body: once(stream ? streamBytes : completionBytes),
    };
  },
};

const config = loadConfig(
  {
    object: {
      model_list: [
        {
          model_name: 'gpt-4o-mini',
          litellm_params: { model: 'openai/gpt-4o-mini', api_key: 'sk-bench-upstream', rpm: 1e9, tpm: 1e12 },
          model_info: { id: 'bench-deployment' },
        },
      ],
      general_settings: { master_key: 'sk-bench-master' },
      gw_settings: {
        virtual_keys: [
          { key: 'sk-bench-virtual-key', alias: 'bench', rpm: 1e9, tpm: 1e12, team: 'bench-team' },
        ],
        teams: [{ id: 'bench-team', rpm: 1e9, tpm: 1e12 }],
      },
    },
  },
  {},
).config;

const headers = { authorization: 'Bearer sk-bench-virtual-key', 'content-type': 'application/json' };
const body = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Write one sentence about a fox.' },
  ],
  max_tokens: 64,
};

interface Sample {
  totalUs: number[];
  overheadUs: number[];
}

async function run(gateway: Gateway, stream: boolean, count: number, sample?: Sample): Promise<void> {
  const requestBody = stream ? { ...body, stream: true } : body;
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const response = await gateway.handle({ operation: 'chat', headers, body: requestBody });
    if (stream) {
      for await (const _piece of (response as GatewayStreamResponse).stream) {
        // drain
      }
    } else if (response.status !== 200) {
      throw new Error(
        `bench request failed: ${response.status} ${JSON.stringify((response as GatewayJsonResponse).body)}`,
      );
    }
    const total = performance.now() - started;
    if (sample !== undefined) {
      sample.totalUs.push(total * 1000);
      sample.overheadUs.push(Number(response.headers['x-gw-overhead-ms']) * 1000);
    }
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const rows: string[][] = [];
async function measure(name: string, gateway: Gateway, stream: boolean): Promise<void> {
  await run(gateway, stream, WARMUP);
  const sample: Sample = { totalUs: [], overheadUs: [] };
  await run(gateway, stream, MEASURED, sample);
  const format = (value: number) => `${value.toFixed(1)} µs`;
  rows.push([
    name,
    format(percentile(sample.totalUs, 50)),
    format(percentile(sample.totalUs, 99)),
    stream ? 'n/a (headers sent first)' : format(percentile(sample.overheadUs, 50)),
    stream ? 'n/a' : format(percentile(sample.overheadUs, 99)),
  ]);
}

const silent = pino({ level: 'silent' });
const resolveProvider = (name: string) => (name === 'openai' ? inProcessOpenAI : undefined);

const memory = createGateway({ config, logger: silent, resolveProvider });
await measure('memory limits, JSON', memory, false);
await measure('memory limits, stream (4 chunks)', memory, true);
await memory.close();

const redis = new Redis({ host: '127.0.0.1', port: 6379, enableAutoPipelining: true, lazyConnect: true });
try {
  await redis.connect();
  const prefix = `gw:bench:${process.pid}:`;
  const withRedis = createGateway({ config, logger: silent, resolveProvider, redis, redisPrefix: prefix });
  await measure('Redis limits, JSON', withRedis, false);
  await measure('Redis limits, stream (4 chunks)', withRedis, true);
  await withRedis.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
} catch (error) {
  rows.push(['Redis limits', `skipped: ${(error as Error).message}`, '', '', '']);
} finally {
  redis.disconnect();
}

const header = [
  'pipeline (sequential, in-process zero-latency upstream)',
  'total p50',
  'total p99',
  'x-gw-overhead p50',
  'x-gw-overhead p99',
];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
);
const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
console.log(
  `@gw/core pipeline overhead, ${MEASURED} requests per row after ${WARMUP} warm-up (auth, validation, token counting, key+team+deployment limits, routing, provider build/parse, cost, metrics)`,
);
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));
console.log(
  'total = handle() until the response (streams: until the last SSE piece) with an upstream that answers at once;',
);
console.log(
  'x-gw-overhead = total minus the time awaiting the upstream, as the gateway reports it in its header.',
);
