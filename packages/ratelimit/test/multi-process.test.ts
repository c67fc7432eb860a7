import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { LimitSpec } from '../src/types.ts';
import { connect, deleteKeys, uniquePrefix } from './redis-helpers.ts';
import { limitSpec } from './support/limit-spec.ts';

const workerPath = fileURLToPath(new URL('./workers/hammer.ts', import.meta.url));
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const client = connect();

afterAll(async () => {
  await client.quit();
});

interface WorkerResult {
  admitted: number;
  failures: number;
}

function startWorker(job: object): {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  result: Promise<WorkerResult>;
} {
  const child = spawn(
    process.execPath,
    ['--conditions=@gw/source', '--import', 'tsx', workerPath, JSON.stringify(job)],
    {
      cwd: packageDirectory,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') markReady();
      else resolve(JSON.parse(line) as WorkerResult);
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}: ${stderr}`));
    });
  });
  return { child, ready, result };
}

/** Starts the workers, releases them at once, and sums what they admitted. */
async function hammer(workers: number, job: object): Promise<WorkerResult[]> {
  const started = Array.from({ length: workers }, () => startWorker(job));
  await Promise.all(started.map((worker) => Promise.race([worker.ready, worker.result])));
  for (const worker of started) worker.child.stdin.write('go\n');
  return Promise.all(started.map((worker) => worker.result));
}

describe('several processes sharing one Redis', () => {
  it('admit exactly the RPM limit on one hot key, across 4 processes', async () => {
    const prefix = uniquePrefix();
    const rpm: LimitSpec = limitSpec('key:rpm', 'hot', 'sliding-window', 500, 3_600_000);
    const results = await hammer(4, { prefix, specs: [rpm], attempts: 300, mode: 'check' });
    expect(results.every((result) => result.failures === 0)).toBe(true);
    expect(results.reduce((sum, result) => sum + result.admitted, 0)).toBe(500);
    await deleteKeys(client, prefix);
  });

  it('admit exactly the limit of every algorithm when four processes race', async () => {
    const prefix = uniquePrefix();
    const specs: LimitSpec[] = [
      { name: 'gcra', key: 'hot', algorithm: 'gcra', limit: 900, windowMs: 3_600_000, unit: 'requests' },
      limitSpec('log', 'hot', 'sliding-log', 700, 3_600_000),
      limitSpec('bucket', 'hot', 'token-bucket', 800, 3_600_000),
    ];
    const results = await hammer(4, { prefix, specs, attempts: 250, mode: 'check' });
    expect(results.reduce((sum, result) => sum + result.admitted, 0)).toBe(700);
    await deleteKeys(client, prefix);
  });

  it('admit exactly the concurrency limit while every admitted request stays in flight', async () => {
    const prefix = uniquePrefix();
    const inFlight: LimitSpec = limitSpec('key:parallel', 'hot', 'concurrency', 37, 60_000);
    const results = await hammer(5, { prefix, specs: [inFlight], attempts: 40, mode: 'hold' });
    expect(results.reduce((sum, result) => sum + result.admitted, 0)).toBe(37);
    await deleteKeys(client, prefix);
  });
});
