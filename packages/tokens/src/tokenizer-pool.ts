// A worker-thread pool that counts large texts and batches on every core, with a bounded queue and clean shutdown.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { approximate } from './approximation.ts';
import { resolveModel } from './count-tokens.ts';
import type { PoolReply, PoolRequest } from './pool-worker.ts';
import { splitAtSafeBoundaries } from './safe-split.ts';
import { assertString, TokensError } from './tokens-error.ts';

export interface TokenizerPoolOptions {
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
  /** Jobs waiting for a worker before new calls are refused with GW_ERR_TOKENS_POOL_BUSY (retryable). */
  readonly maxQueue?: number;
}

export interface TokenizerPool {
  count(text: string, modelOrEncoding: string): Promise<number>;
  countBatch(texts: readonly string[], modelOrEncoding: string): Promise<number[]>;
  /** Lets accepted work finish, then stops the workers; later calls are refused with GW_ERR_TOKENS_POOL_CLOSED. */
  close(): Promise<void>;
}

/** Texts longer than this are cut at safe boundaries and counted on several workers. */
const SPLIT_CHARACTERS = 256 * 1024;
/** A job carries at least this many characters, so message passing stays small next to counting. */
const JOB_CHARACTERS = 64 * 1024;
/** Jobs handed to one worker at a time; the rest wait in the pool's queue. */
const IN_FLIGHT_PER_WORKER = 2;

interface Job {
  readonly request: PoolRequest;
  readonly resolve: (counts: number[]) => void;
  readonly reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  readonly inFlight: Map<number, Job>;
}

/** Starts one worker. From sources (tests, benchmarks) the worker is TypeScript, loaded through tsx's loader. */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pool-worker.js', import.meta.url));
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(
    /\.cjs$/,
    '.mjs',
  );
  const worker = new URL('./pool-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: ['--conditions=@gw/source'] });
}

export function createTokenizerPool(options: TokenizerPoolOptions = {}): TokenizerPool {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const maxQueue = options.maxQueue ?? 10_000;
  const queue: Job[] = [];
  const workers: PoolWorker[] = [];
  let nextId = 0;
  let closed = false;
  let drained: (() => void) | undefined;

  const start = (): PoolWorker => {
    const entry: PoolWorker = { worker: spawnWorker(), inFlight: new Map() };
    entry.worker.on('message', (reply: PoolReply) => {
      const job = entry.inFlight.get(reply.id);
      if (job === undefined) return;
      entry.inFlight.delete(reply.id);
      if ('counts' in reply) job.resolve(reply.counts);
      else job.reject(new TokensError('GW_ERR_TOKENS_INVALID_INPUT', reply.error.message));
      dispatch();
    });
    const fail = (cause: unknown): void => {
      // A crashed worker fails only its own jobs; a fresh worker takes its place while the pool is open.
      for (const job of entry.inFlight.values()) {
        job.reject(
          new TokensError('GW_ERR_TOKENS_WORKER_FAILED', 'a tokenizer worker stopped; retry the call.', {
            cause,
          }),
        );
      }
      entry.inFlight.clear();
      const index = workers.indexOf(entry);
      if (index !== -1) workers.splice(index, 1);
      if (!closed) workers.push(start());
      dispatch();
    };
    entry.worker.on('error', fail);
    entry.worker.on('exit', (code) => {
      if (workers.includes(entry)) fail(new Error(`worker exited with code ${code}`));
    });
    entry.worker.unref();
    return entry;
  };

  const dispatch = (): void => {
    while (queue.length > 0) {
      let target: PoolWorker | undefined;
      for (const entry of workers) {
        if (
          entry.inFlight.size < IN_FLIGHT_PER_WORKER &&
          (target === undefined || entry.inFlight.size < target.inFlight.size)
        ) {
          target = entry;
        }
      }
      if (target === undefined) break;
      const job = queue.shift() as Job;
      target.inFlight.set(job.request.id, job);
      target.worker.ref();
      target.worker.postMessage(job.request);
    }
    for (const entry of workers) if (entry.inFlight.size === 0) entry.worker.unref();
    if (closed && queue.length === 0 && workers.every((entry) => entry.inFlight.size === 0)) drained?.();
  };

  const submit = (encoding: string, texts: string[]): Promise<number[]> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(
          new TokensError('GW_ERR_TOKENS_POOL_CLOSED', 'the tokenizer pool is closed; create a new pool.'),
        );
        return;
      }
      if (queue.length >= maxQueue) {
        reject(
          new TokensError(
            'GW_ERR_TOKENS_POOL_BUSY',
            `the tokenizer pool queue is full (${maxQueue} jobs); retry later.`,
            {
              retryable: true,
            },
          ),
        );
        return;
      }
      queue.push({ request: { id: nextId++, encoding, texts }, resolve, reject });
      dispatch();
    });

  const countBatch = async (texts: readonly string[], modelOrEncoding: string): Promise<number[]> => {
    if (!Array.isArray(texts))
      throw new TokensError('GW_ERR_TOKENS_INVALID_INPUT', 'texts must be an array of strings.');
    texts.forEach((text: unknown, index) => {
      assertString(text, `texts[${index}]`);
    });
    const resolved = resolveModel(modelOrEncoding);
    if (workers.length === 0 && !closed) for (let index = 0; index < threads; index++) workers.push(start());
    // Units are (text index, part); long texts become several parts, and units are grouped into jobs.
    const owners: number[] = [];
    const parts: string[] = [];
    texts.forEach((text, index) => {
      const pieces = text.length > SPLIT_CHARACTERS ? splitAtSafeBoundaries(text, threads * 2) : [text];
      for (const piece of pieces) {
        owners.push(index);
        parts.push(piece);
      }
    });
    const totalCharacters = parts.reduce((sum, part) => sum + part.length, 0);
    const jobSize = Math.max(JOB_CHARACTERS, Math.ceil(totalCharacters / (threads * 4)));
    const jobs: Promise<number[]>[] = [];
    let group: string[] = [];
    let groupSize = 0;
    for (const part of parts) {
      group.push(part);
      groupSize += part.length;
      if (groupSize >= jobSize) {
        jobs.push(submit(resolved.encoding, group));
        group = [];
        groupSize = 0;
      }
    }
    if (group.length > 0) jobs.push(submit(resolved.encoding, group));
    const results = (await Promise.all(jobs)).flat();
    const counts = new Array<number>(texts.length).fill(0);
    results.forEach((count, index) => {
      const owner = owners[index] as number;
      counts[owner] = (counts[owner] as number) + count;
    });
    return resolved.family === 'openai' ? counts : counts.map((count) => approximate(count, resolved.family));
  };

  return {
    countBatch,
    async count(text, modelOrEncoding) {
      assertString(text, 'text');
      const [count] = await countBatch([text], modelOrEncoding);
      return count as number;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (queue.length > 0 || workers.some((entry) => entry.inFlight.size > 0)) {
        await new Promise<void>((resolve) => {
          drained = resolve;
        });
      }
      await Promise.all(workers.splice(0).map((entry) => entry.worker.terminate()));
    },
  };
}
