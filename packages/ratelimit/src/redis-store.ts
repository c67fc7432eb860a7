// The shared Store: each call is one atomic Lua script in one round trip on Redis server time; decisions issued
// together share the call.
import type { Cluster, Redis } from 'ioredis';
import { createDeadlineTicker, StoreTimeoutError } from './deadline-ticker.ts';
import type { IntervalTimers } from './interval-timers.ts';
import { limitResultOf } from './limit-result.ts';
import { createMemoryStore } from './memory-store.ts';
import { type ShapeList, shapeIndexOf } from './operation-shapes.ts';
import { RateLimitError } from './rate-limit-error.ts';
import { stateKey } from './redis-keys.ts';
import { headerArguments, script, scriptSha } from './redis-script.ts';
import { scriptClientOf } from './script-client.ts';
import type {
  DecideRequest,
  Decision,
  LimitResult,
  LimitSpec,
  SettleRequest,
  Store,
  StoreStats,
} from './types.ts';

export type FailurePolicy = 'fail-open' | 'fail-closed';

export interface RedisStoreOptions {
  /**
   * An ioredis client or Cluster, owned by the caller (close() leaves it open). The store batches its own calls
   * and sends them outside auto-pipelining; enable `enableAutoPipelining` for your other commands if you like.
   */
  client: Redis | Cluster;
  /** Prefix of every key. Default 'gw:rl:'. */
  prefix?: string;
  /**
   * Cluster hash tag of a decision's keys: all keys of one decision must share a slot for the script to run.
   * Default 'gw' (every limit in one slot). Return a narrower tag (e.g. a tenant id) when no decision ever mixes
   * subjects with different tags.
   */
  hashTag?: string | ((specs: readonly LimitSpec[]) => string);
  /** Each Redis call fails after this long. Default 250. */
  timeoutMs?: number;
  /** fail-open admits and counts in a local MemoryStore while Redis is down; fail-closed throws. Default fail-open. */
  failurePolicy?: FailurePolicy;
  /**
   * Called with every failed Redis call (log it); counters are in stats(). Default: a process warning
   * (`GW_RATELIMIT_STORE_FAILURE`), so a failure is never silent.
   */
  onFailure?: (error: Error) => void;
  /** After a failure, Redis is left alone for this long before it is tried again. Default 1000. */
  retryIntervalMs?: number;
  /** Tests only: replaces the Redis server TIME in the script, and drives the fallback. */
  clock?: () => number;
  /** Tests only: the interval timer behind timeouts. */
  timers?: IntervalTimers;
}

interface Operation {
  /** Reads this operation's part of the batch reply, from `offset`; returns the offset after it. */
  complete(reply: number[], offset: number): number;
  fail(error: Error): void;
}

interface Batch {
  keys: string[];
  shapes: ShapeList;
  /** Per operation, the index of its shape. */
  shapeOfOperation: number[];
  operations: Operation[];
}

/** Most operations per script call: bounds how long one call holds Redis. */
const maxBatchOperations = 64;
/**
 * A batch leaves once it holds half the operations outstanding (sent or waiting), so at least two script calls
 * are in flight: while Redis runs one, the client reads the other's reply and its callers issue their next
 * decisions, and neither side waits for the other. At 64 concurrent callers, two calls of 32 made 1.4x (distinct
 * keys) to 1.6x (one hot key) the decisions per second of one call of 64. Below this many, one call.
 */
const minBatchOperations = 16;
const fakeClockTtlSlackMs = 3_600_000;
const processTag = Math.floor(Math.random() * 36 ** 8).toString(36);

function isConcurrency(spec: LimitSpec): boolean {
  return spec.algorithm === 'concurrency';
}

function warn(failure: Error): void {
  process.emitWarning(
    `Rate-limit store: Redis call failed (${failure.message}); applying the failure policy.`,
    { code: 'GW_RATELIMIT_STORE_FAILURE' },
  );
}

export function createRedisStore(options: RedisStoreOptions): Store {
  const client = scriptClientOf(options.client);
  const prefix = options.prefix ?? 'gw:rl:';
  const hashTag = options.hashTag ?? 'gw';
  const timeoutMs = options.timeoutMs ?? 250;
  const policy = options.failurePolicy ?? 'fail-open';
  const retryIntervalMs = options.retryIntervalMs ?? 1_000;
  const clock = options.clock;
  const now = clock ?? Date.now;
  const ticker = createDeadlineTicker(timeoutMs, options.timers);
  let fallback = createMemoryStore({ clock: now });
  const counters = {
    decisions: 0,
    denied: 0,
    settlements: 0,
    failures: 0,
    timeouts: 0,
    failOpenDecisions: 0,
    failClosedRejections: 0,
    scriptLoads: 0,
  };
  let downUntil = 0;
  let lastFailure: unknown;
  let leaseSequence = 0;
  // Operations issued in the same turn of the event loop share one script call per hash tag (Cluster needs one
  // slot per call). A turn, not a tick: a gateway's requests arrive in I/O callbacks of their own, so a tick holds
  // one decision each, while one turn holds all the requests its poll phase read (as ioredis's auto-pipelining).
  const batches = new Map<string, Batch>();
  let flushScheduled = false;
  /** Operations enqueued whose batch has not answered yet. */
  let outstanding = 0;

  function tagOf(specs: readonly LimitSpec[]): string {
    return typeof hashTag === 'string' ? hashTag : hashTag(specs);
  }

  function enqueue(specs: readonly LimitSpec[], header: (string | number)[], operation: Operation): void {
    const tag = tagOf(specs);
    let batch = batches.get(tag);
    if (batch === undefined) {
      batch = { keys: [], shapes: { args: [], starts: [] }, shapeOfOperation: [], operations: [] };
      batches.set(tag, batch);
    }
    const shapeIndex = shapeIndexOf(batch.shapes, header, specs);
    batch.shapeOfOperation.push(shapeIndex);
    for (const spec of specs) batch.keys.push(stateKey(prefix, tag, spec));
    batch.operations.push(operation);
    outstanding++;
    const cap = Math.min(maxBatchOperations, Math.max(minBatchOperations, Math.ceil(outstanding / 2)));
    if (batch.operations.length >= cap) {
      batches.delete(tag);
      void send(batch);
    } else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }

  function flush(): void {
    flushScheduled = false;
    for (const batch of batches.values()) void send(batch);
    batches.clear();
  }

  async function run(keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(scriptSha, keys.length, keys, args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      // EVAL also caches the script on that server, so the next EVALSHA there succeeds.
      counters.scriptLoads++;
      return client.eval(script, keys.length, keys, args);
    }
  }

  async function send(batch: Batch): Promise<void> {
    const args: (string | number)[] = new Array(headerArguments);
    // A fake clock jumps ahead of real time; keys must outlive those jumps or they vanish mid-test.
    args[0] = clock === undefined ? '' : clock();
    args[1] = clock === undefined ? 0 : fakeClockTtlSlackMs;
    args[2] = batch.operations.length;
    args[3] = batch.shapes.starts.length;
    for (const value of batch.shapes.args) args.push(value);
    if (batch.shapes.starts.length > 1) for (const index of batch.shapeOfOperation) args.push(index);
    let reply: number[];
    try {
      reply = (await ticker.within(run(batch.keys, args))) as number[];
    } catch (error) {
      lastFailure = recordFailure(error);
      for (const operation of batch.operations) operation.fail(lastFailure as Error);
      return;
    } finally {
      outstanding -= batch.operations.length;
    }
    if (downUntil > 0) {
      downUntil = 0;
      // Redis counts again: what the fallback counted must not greet the next outage as if still in force.
      fallback = createMemoryStore({ clock: now });
    }
    let offset = 0;
    for (const operation of batch.operations) offset = operation.complete(reply, offset);
  }

  function recordFailure(error: unknown): Error {
    const failure = error instanceof Error ? error : new Error(String(error));
    counters.failures++;
    if (failure instanceof StoreTimeoutError) counters.timeouts++;
    downUntil = now() + retryIntervalMs;
    try {
      if (options.onFailure === undefined) warn(failure);
      else options.onFailure(failure);
    } catch {
      // A failing logger must not turn a degraded decision into a crash.
    }
    return failure;
  }

  function unavailable(cause: unknown): RateLimitError {
    counters.failClosedRejections++;
    return RateLimitError.storeUnavailable(cause);
  }

  function decideLocally(request: DecideRequest, cause: unknown): Decision {
    if (policy === 'fail-closed') throw unavailable(cause);
    counters.failOpenDecisions++;
    const decision = fallback.decideNow(request);
    if (!decision.allowed) counters.denied++;
    return decision;
  }

  function settleLocally(request: SettleRequest, cause: unknown): void {
    if (policy === 'fail-closed') throw unavailable(cause);
    fallback.settleNow(request);
  }

  /** Reads one decision from the reply (its two forms are described in redis-script.ts). */
  function decisionOf(specs: readonly LimitSpec[], values: number[], offset: number): Decision {
    const results: LimitResult[] = new Array(specs.length);
    const failedIndex = values[offset]!;
    if (failedIndex === 0) {
      for (let index = 0; index < specs.length; index++) {
        const at = offset + 1 + index * 2;
        results[index] = limitResultOf(specs[index]!, values[at]!, values[at + 1]!, true);
      }
      return { allowed: true, results, retryAfterMs: 0 };
    }
    for (let index = 0; index < specs.length; index++) {
      const at = offset + 2 + index * 3;
      results[index] = limitResultOf(specs[index]!, values[at + 1]!, values[at + 2]!, values[at] === 1);
    }
    counters.denied++;
    return { allowed: false, results, failed: results[failedIndex - 1]!, retryAfterMs: values[offset + 1]! };
  }

  return {
    decide(request) {
      counters.decisions++;
      const specs = request.specs;
      if (specs.length === 0) return Promise.resolve({ allowed: true, results: [], retryAfterMs: 0 });
      if (downUntil > 0 && now() < downUntil) {
        try {
          return Promise.resolve(decideLocally(request, lastFailure));
        } catch (error) {
          return Promise.reject(error);
        }
      }
      const reservation = request.reservation;
      return new Promise<Decision>((resolve, reject) => {
        enqueue(
          specs,
          [
            'd',
            request.requests,
            request.tokens,
            reservation?.id ?? '',
            reservation?.ttlMs ?? 0,
            '',
            // Only concurrency leases without a reservation are named from it; any other operation leaves it
            // empty, so operations alike share one shape.
            reservation === undefined && specs.some(isConcurrency)
              ? `${processTag}.${(++leaseSequence).toString(36)}`
              : '',
          ],
          {
            complete(reply, offset) {
              resolve(decisionOf(specs, reply, offset));
              return reply[offset] === 0 ? offset + 1 + specs.length * 2 : offset + 2 + specs.length * 3;
            },
            fail(error) {
              try {
                resolve(decideLocally(request, error));
              } catch (rejection) {
                reject(rejection);
              }
            },
          },
        );
      });
    },

    settle(request: SettleRequest) {
      counters.settlements++;
      if (request.specs.length === 0) return Promise.resolve();
      if (downUntil > 0 && now() < downUntil) {
        try {
          settleLocally(request, lastFailure);
          return Promise.resolve();
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return new Promise<void>((resolve, reject) => {
        enqueue(
          request.specs,
          [
            's',
            request.requests,
            request.tokens,
            request.reservationId,
            0,
            request.actualTokens === undefined ? '' : request.actualTokens,
            '',
          ],
          {
            complete(_reply, offset) {
              resolve();
              return offset + 1;
            },
            fail(error) {
              try {
                settleLocally(request, error);
                resolve();
              } catch (rejection) {
                reject(rejection);
              }
            },
          },
        );
      });
    },

    stats(): StoreStats {
      return { ...counters, keys: 0, evictions: 0 };
    },

    async close() {
      flush();
      ticker.stop();
      await fallback.close();
    },
  };
}
