// The shared Store: every decision is one atomic Lua script in one round trip, on Redis server time.
import type { Cluster, Redis } from 'ioredis';
import { createDeadlineTicker, type IntervalTimers, StoreTimeoutError } from './deadline-ticker.ts';
import { createMemoryStore } from './memory-store.ts';
import { RateLimitError } from './rate-limit-error.ts';
import { algorithmCodes, script, scriptSha } from './redis-script.ts';
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
  /** An ioredis client or Cluster, owned by the caller (close() leaves it open). Enable `enableAutoPipelining`. */
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
  /** Called with every Redis failure (log it); counters are in stats(). */
  onFailure?: (error: Error) => void;
  /** After a failure, Redis is left alone for this long before it is tried again. Default 1000. */
  retryIntervalMs?: number;
  /** Tests only: replaces the Redis server TIME in the script, and drives the fallback. */
  clock?: () => number;
  /** Tests only: the interval timer behind timeouts. */
  timers?: IntervalTimers;
}

/** The two ioredis calls used; both Redis and Cluster have them. */
interface ScriptClient {
  evalsha(sha: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(source: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

const fakeClockTtlSlackMs = 3_600_000;
const processTag = Math.floor(Math.random() * 36 ** 8).toString(36);

export function createRedisStore(options: RedisStoreOptions): Store {
  const client = options.client as unknown as ScriptClient;
  const prefix = options.prefix ?? 'gw:rl:';
  const hashTag = options.hashTag ?? 'gw';
  const timeoutMs = options.timeoutMs ?? 250;
  const policy = options.failurePolicy ?? 'fail-open';
  const retryIntervalMs = options.retryIntervalMs ?? 1_000;
  const clock = options.clock;
  const now = clock ?? Date.now;
  const ticker = createDeadlineTicker(timeoutMs, options.timers);
  const fallback = createMemoryStore({ clock: now });
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
  let leaseSequence = 0;

  function keysOf(specs: readonly LimitSpec[]): string[] {
    const tag = typeof hashTag === 'string' ? hashTag : hashTag(specs);
    const keys: string[] = [];
    for (const spec of specs) {
      // Length-prefixing the name keeps ('a:b', 'c') and ('a', 'b:c') apart.
      const base = `${prefix}{${tag}}:${spec.name.length}:${spec.name}:${spec.key}`;
      keys.push(`${base}:s`, `${base}:h`, `${base}:l`);
    }
    return keys;
  }

  function argumentsOf(
    operation: 'd' | 's',
    specs: readonly LimitSpec[],
    request: { requests: number; tokens: number },
    reservationId: string,
    ttlMs: number,
    actualTokens: number | undefined,
  ): (string | number)[] {
    const args: (string | number)[] = [
      operation,
      clock === undefined ? '' : clock(),
      request.requests,
      request.tokens,
      reservationId,
      ttlMs,
      actualTokens === undefined ? '' : actualTokens,
      `${processTag}.${(++leaseSequence).toString(36)}`,
      // A fake clock jumps ahead of real time; keys must outlive those jumps or they vanish mid-test.
      clock === undefined ? 0 : fakeClockTtlSlackMs,
    ];
    for (const spec of specs) {
      args.push(
        algorithmCodes[spec.algorithm],
        spec.limit,
        spec.windowMs,
        spec.unit === 'tokens' ? 't' : 'r',
      );
    }
    return args;
  }

  async function run(keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(scriptSha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      // EVAL also caches the script on that server, so the next EVALSHA there succeeds.
      counters.scriptLoads++;
      return client.eval(script, keys.length, ...keys, ...args);
    }
  }

  function recordFailure(error: unknown): Error {
    const failure = error instanceof Error ? error : new Error(String(error));
    counters.failures++;
    if (failure instanceof StoreTimeoutError) counters.timeouts++;
    downUntil = now() + retryIntervalMs;
    try {
      options.onFailure?.(failure);
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
    return fallback.decideNow(request);
  }

  function decisionOf(specs: readonly LimitSpec[], reply: unknown): Decision {
    const values = reply as number[];
    const results: LimitResult[] = new Array(specs.length);
    for (let index = 0; index < specs.length; index++) {
      const spec = specs[index]!;
      const offset = 3 + index * 3;
      results[index] = {
        name: spec.name,
        unit: spec.unit,
        algorithm: spec.algorithm,
        limit: spec.limit,
        remaining: values[offset + 1]!,
        resetMs: values[offset + 2]!,
        allowed: values[offset] === 1,
      };
    }
    if (values[0] === 1) return { allowed: true, results, retryAfterMs: 0 };
    counters.denied++;
    return { allowed: false, results, failed: results[values[1]! - 1]!, retryAfterMs: values[2]! };
  }

  let lastFailure: unknown;

  return {
    async decide(request) {
      counters.decisions++;
      if (request.specs.length === 0) return { allowed: true, results: [], retryAfterMs: 0 };
      if (downUntil > 0 && now() < downUntil) return decideLocally(request, lastFailure);
      const reservation = request.reservation;
      const keys = keysOf(request.specs);
      const args = argumentsOf(
        'd',
        request.specs,
        request,
        reservation?.id ?? '',
        reservation?.ttlMs ?? 0,
        undefined,
      );
      let reply: unknown;
      try {
        reply = await ticker.within(run(keys, args));
      } catch (error) {
        lastFailure = recordFailure(error);
        return decideLocally(request, lastFailure);
      }
      downUntil = 0;
      return decisionOf(request.specs, reply);
    },

    async settle(request: SettleRequest) {
      counters.settlements++;
      if (request.specs.length === 0) return;
      const settleLocally = (cause: unknown): void => {
        if (policy === 'fail-closed') throw unavailable(cause);
        fallback.settleNow(request);
      };
      if (downUntil > 0 && now() < downUntil) return settleLocally(lastFailure);
      const keys = keysOf(request.specs);
      const args = argumentsOf('s', request.specs, request, request.reservationId, 0, request.actualTokens);
      try {
        await ticker.within(run(keys, args));
        downUntil = 0;
      } catch (error) {
        lastFailure = recordFailure(error);
        settleLocally(lastFailure);
      }
    },

    stats(): StoreStats {
      return { ...counters, keys: 0, evictions: 0 };
    },

    async close() {
      ticker.stop();
      await fallback.close();
    },
  };
}
