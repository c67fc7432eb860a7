// Benchmarks for @gw/tokens: gw vs js-tiktoken, tiktoken (WASM) and gpt-tokenizer, side by side in one run.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compare, writeResults } from '@gw/bench';
import { countTokens as gptTokenizerCount } from 'gpt-tokenizer/encoding/o200k_base';
import { getEncoding, type Tiktoken as JsTiktoken } from 'js-tiktoken';
import { get_encoding, type Tiktoken as WasmTiktoken } from 'tiktoken';
import { countTokens } from '../src/index.ts';
import { codeCorpus, multilingualCorpus, proseCorpus } from '../test/support/corpus.ts';

const ENCODING = 'o200k_base';
let jsTiktoken: JsTiktoken | undefined;
let wasm: WasmTiktoken | undefined;

type Counter = (text: string) => number;
const counters: Record<string, Counter> = {
  gw: (text) => countTokens(text, ENCODING),
  'js-tiktoken': (text) => (jsTiktoken as JsTiktoken).encode(text).length,
  'tiktoken (WASM)': (text) => (wasm as WasmTiktoken).encode(text, [], []).length,
  'gpt-tokenizer': (text) => gptTokenizerCount(text),
};

function contenders(work: (count: Counter) => () => unknown) {
  return Object.entries(counters).map(([name, count]) => ({
    name,
    fn: work(count),
    setup: () => {
      jsTiktoken ??= getEncoding(ENCODING);
      wasm ??= get_encoding(ENCODING);
    },
  }));
}

const results: Record<string, unknown> = {};
console.log(
  `@gw/tokens bench, ${ENCODING}, Node ${process.version}; shared 2-core machine: numbers are noisy.\n`,
);

// Throughput: every contender counts the same text; all four agree on the count (checked first).
for (const [kind, text] of [
  ['English prose', proseCorpus(200_000, 91)],
  ['source code', codeCorpus(200_000, 92)],
  ['multilingual', multilingualCorpus(200_000, 93)],
] as const) {
  jsTiktoken ??= getEncoding(ENCODING);
  wasm ??= get_encoding(ENCODING);
  const counts = Object.values(counters).map((count) => count(text));
  if (new Set(counts).size !== 1) throw new Error(`contenders disagree on ${kind}: ${counts.join(', ')}`);
  const bytes = Buffer.byteLength(text);
  const result = await compare({
    title: `throughput: count ${(bytes / 1000).toFixed(0)} KB of ${kind}`,
    bytesPerCall: bytes,
    minSamples: 12,
    minTimeMs: 1500,
    rounds: 3,
    contenders: contenders((count) => () => count(text)),
  });
  results[kind] = result.rows;
}

// Short chat messages: ~20 words each, a different one on every call so caches see realistic variety.
{
  const messages = proseCorpus(400_000, 94)
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.split(' ').slice(0, 20).join(' '))
    .filter((sentence) => sentence.split(' ').length >= 15)
    .slice(0, 5000);
  const result = await compare({
    title: `per call: one ~20-word chat message (${messages.length} distinct)`,
    contenders: contenders((count) => {
      let index = 0;
      return () => count(messages[index++ % messages.length] as string);
    }),
  });
  results['short messages'] = result.rows;
}

// Scaling on one repeated character: peers merge in quadratic time, so each stops once the next size would take
// too long (projected from its growth so far, assuming quadratic growth before there are two points).
{
  const sizes = [8_000, 32_000, 128_000];
  const limitSeconds = 3;
  console.log(
    `\nscaling: one call on a run of one repeated letter, after a 1k warm-up; best of 3 calls (a, e, o runs) while under 0.5 s`,
  );
  console.log(`${'name'.padEnd(18)}${sizes.map((size) => `${size / 1000}k`.padStart(16)).join('')}`);
  const scaling: Record<string, (number | null)[]> = {};
  for (const [name, count] of Object.entries(counters)) {
    count('a'.repeat(1000));
    const row: (number | null)[] = [];
    let projected = 0;
    for (const size of sizes) {
      if (projected > limitSeconds) {
        row.push(null);
        continue;
      }
      // Best of up to three calls (while a call stays under half a second), so one GC pause does not decide it.
      let seconds = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < 3 && (attempt === 0 || seconds < 0.5); attempt++) {
        const started = performance.now();
        count((['a', 'e', 'o'][attempt] as string).repeat(size)); // a fresh text each time: no cache helps
        seconds = Math.min(seconds, (performance.now() - started) / 1000);
      }
      const previous = row.at(-1);
      projected = seconds * (previous ? Math.max(seconds / previous, 1) : 16);
      row.push(seconds);
    }
    scaling[name] = row;
    const cells = row.map((seconds) =>
      (seconds === null ? `skipped >${limitSeconds}s` : `${(seconds * 1000).toFixed(1)} ms`).padStart(16),
    );
    console.log(`${name.padEnd(18)}${cells.join('')}`);
  }
  results.scaling = scaling;
}

// Load time and memory: each library in a fresh process, from import to the first count, then memory after GC
// with the encoder kept alive (gw and gpt-tokenizer keep theirs in the module; the others are held globally).
{
  const probes: Record<string, string> = {
    gw: `const m = await import(${JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url)))}); const start = performance.now(); m.countTokens('hello', '${ENCODING}');`,
    'js-tiktoken': `const start = performance.now(); const m = await import('js-tiktoken'); globalThis.kept = m.getEncoding('${ENCODING}'); globalThis.kept.encode('hello');`,
    'tiktoken (WASM)': `const start = performance.now(); const m = await import('tiktoken'); globalThis.kept = m.get_encoding('${ENCODING}'); globalThis.kept.encode('hello');`,
    'gpt-tokenizer': `const start = performance.now(); const m = await import('gpt-tokenizer/encoding/${ENCODING}'); m.countTokens('hello');`,
  };
  console.log(
    `\nload: fresh process, import + first count (gw: its module is imported first; the encoding loads lazily on the first count)`,
  );
  console.log(
    `${'name'.padEnd(18)}${'load'.padStart(12)}${'heap+external after GC'.padStart(25)}${'RSS'.padStart(10)}`,
  );
  const loads: Record<string, unknown> = {};
  for (const [name, probe] of Object.entries(probes)) {
    const script = `const base = process.memoryUsage(); ${probe} const ms = performance.now() - start; globalThis.gc(); const after = process.memoryUsage(); console.log(JSON.stringify({ ms, memory: after.heapUsed + after.external - base.heapUsed - base.external, rss: after.rss - base.rss }));`;
    const output = execFileSync(
      process.execPath,
      ['--expose-gc', '--conditions=@gw/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
    );
    const { ms, memory, rss } = JSON.parse(output.trim().split('\n').at(-1) as string) as Record<
      string,
      number
    >;
    loads[name] = { ms, memory, rss };
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    console.log(
      `${name.padEnd(18)}${`${(ms as number).toFixed(0)} ms`.padStart(12)}${mb(memory as number).padStart(25)}${mb(rss as number).padStart(10)}`,
    );
  }
  results.load = loads;
}

wasm?.free();
await writeResults('tokens', results);
