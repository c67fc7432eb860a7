// Benchmarks for @gw/mock-upstream: its request rate against a bare node:http server sending the same bytes,
// so gateway benchmarks know how much of their numbers the mock itself costs.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRow, httpLoad, type LoadResult, printTable, writeResults } from '@gw/bench';

const durationSeconds = Number(process.env.GW_MOCK_BENCH_SECONDS ?? 3);
const connections = 16;
const headers = { authorization: 'Bearer sk-bench', 'content-type': 'application/json' };
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Benchmark me.' }] };

async function startChild(script: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@gw/source', '--import', 'tsx', path, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const part of child.stdout ?? []) {
    output += String(part);
    const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
    if (match) return { url: match[0], child };
  }
  throw new Error(`${script} exited before printing its URL`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

function rowOf(name: string, result: LoadResult): BenchRow {
  return {
    name,
    medianNs: result.latencyMs.median * 1e6,
    p99Ns: result.latencyMs.p99 * 1e6,
    meanNs: result.latencyMs.mean * 1e6,
    samples: result.requests,
    opsPerSecond: result.requestsPerSecond,
  };
}

async function measure(url: string, stream: boolean): Promise<LoadResult> {
  const options = {
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers,
    body: { ...body, stream },
    connections,
    stream,
  };
  await httpLoad({ ...options, durationSeconds: 1 });
  return httpLoad({ ...options, durationSeconds });
}

async function main(): Promise<void> {
  const mock = await startChild('../src/main.ts', ['--port', '0']);
  let bare: { url: string; child: ChildProcess } | undefined;
  try {
    const init = { method: 'POST', headers };
    const json = await (
      await fetch(`${mock.url}/v1/chat/completions`, { ...init, body: JSON.stringify(body) })
    ).text();
    const streamed = await (
      await fetch(`${mock.url}/v1/chat/completions`, {
        ...init,
        body: JSON.stringify({ ...body, stream: true }),
      })
    ).text();
    const jsonFile = join(tmpdir(), `gw-mock-bench-${process.pid}.json`);
    const streamFile = join(tmpdir(), `gw-mock-bench-${process.pid}.sse`);
    await writeFile(jsonFile, json);
    await writeFile(streamFile, streamed);
    bare = await startChild('./bare-server.ts', [jsonFile, streamFile]);

    const results: Record<string, Record<string, LoadResult>> = {};
    for (const stream of [false, true]) {
      const mode = stream ? 'streaming chat (9 chunks)' : 'JSON chat';
      const mockResult = await measure(mock.url, stream);
      const bareResult = await measure(bare.url, stream);
      results[mode] = { 'mock-upstream': mockResult, 'bare node:http': bareResult };
      printTable(
        `${mode}, ${connections} connections, ${durationSeconds} s`,
        [rowOf('mock-upstream', mockResult), rowOf('bare node:http', bareResult)],
        'mock-upstream',
      );
    }
    const file = await writeResults('mock-upstream', results);
    console.log(`results written to ${file}`);
  } finally {
    await stop(mock.child);
    if (bare !== undefined) await stop(bare.child);
  }
}

await main();
