// Counts a large UTF-8 input on several threads: cut at safe points, count each part in a worker, add up.
import { Worker } from 'node:worker_threads';
import { countTokens } from '@gw/tokens';
import type { CountReply, CountRequest, CountWorkerData } from './count-worker.ts';
import { splitForCounting } from './split-points.ts';

export interface CountProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface ParallelCountOptions {
  model: string;
  threads: number;
  /** Bytes per part; parts are handed out one at a time so threads stay busy. Default: about 8 per thread. */
  partSize?: number;
  onProgress?: (progress: CountProgress) => void;
}

export interface CountOutcome {
  tokens: number;
  parts: number;
  threads: number;
}

const workerFile = new URL(
  import.meta.url.endsWith('.ts') ? './count-worker.ts' : './count-worker.js',
  import.meta.url,
);

/** Copies the input into shared memory so every worker reads it without a copy of its own. */
function shared(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

/** Counts on the calling thread. */
export function countSingleThread(bytes: Uint8Array, model: string): CountOutcome {
  return { tokens: countTokens(new TextDecoder().decode(bytes), model), parts: 1, threads: 1 };
}

export async function countParallel(input: Uint8Array, options: ParallelCountOptions): Promise<CountOutcome> {
  const partSize =
    options.partSize ??
    Math.min(8 * 1024 * 1024, Math.max(256 * 1024, Math.ceil(input.length / (options.threads * 8))));
  const parts = splitForCounting(input, partSize);
  const threads = Math.max(1, Math.min(options.threads, parts.length));
  if (threads === 1) {
    const outcome = countSingleThread(input, options.model);
    options.onProgress?.({ bytesDone: input.length, bytesTotal: input.length });
    return outcome;
  }
  const bytes = shared(input);
  const data: CountWorkerData = { buffer: bytes.buffer as SharedArrayBuffer, model: options.model };
  const workers = Array.from({ length: threads }, () => new Worker(workerFile, { workerData: data }));
  let next = 0;
  let total = 0;
  let bytesDone = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const sendNext = (): void => {
              const part = parts[next];
              if (part === undefined) {
                resolve();
                return;
              }
              const request: CountRequest = { id: next++, start: part[0], end: part[1] };
              worker.postMessage(request);
            };
            worker.on('message', (reply: CountReply) => {
              if ('error' in reply) return reject(new Error(reply.error));
              total += reply.tokens;
              const part = parts[reply.id]!;
              bytesDone += part[1] - part[0];
              options.onProgress?.({ bytesDone, bytesTotal: input.length });
              sendNext();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`token counting worker exited with code ${code}`));
            });
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { tokens: total, parts: parts.length, threads };
}
