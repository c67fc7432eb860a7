// Decisions through the real Redis at 64 concurrent callers: gw's RedisStore against RateLimiterRedis.
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createRateLimiter } from '../src/rate-limiter.ts';
import { createRedisStore } from '../src/redis-store.ts';
import { deleteByPrefix } from '../test/support/delete-by-prefix.ts';
import { closedLoop, type LoopResult } from './closed-loop.ts';
import {
  cycler,
  distinctKeyNames,
  distinctSpecs,
  hotSpecs,
  oneRequest,
  requestWithTokens,
  threeLimitSpecs,
  unlimited,
} from './workloads.ts';

export const callers = 64;
const durationMs = 2_000;
const rounds = 2;

export interface RedisRow {
  workload: string;
  gw: LoopResult;
  flexible: LoopResult;
}

function client(): Redis {
  // Both contenders get the same client settings: auto-pipelining on, as the README recommends for gw.
  return new Redis({ host: '127.0.0.1', port: 6379, enableAutoPipelining: true });
}

/** Interleaves the contenders over rounds so machine drift does not favour one; sums the rounds. */
async function interleaved(gw: () => Promise<unknown>, flexible: () => Promise<unknown>) {
  const runs: { gw: LoopResult[]; flexible: LoopResult[] } = { gw: [], flexible: [] };
  await closedLoop(callers, 300, gw);
  await closedLoop(callers, 300, flexible);
  for (let round = 0; round < rounds; round++) {
    runs.gw.push(await closedLoop(callers, durationMs, gw));
    runs.flexible.push(await closedLoop(callers, durationMs, flexible));
  }
  const merge = (results: LoopResult[]): LoopResult => ({
    decisionsPerSecond: results.reduce((sum, result) => sum + result.decisionsPerSecond, 0) / results.length,
    p50Ms: results.reduce((sum, result) => sum + result.p50Ms, 0) / results.length,
    p99Ms: Math.max(...results.map((result) => result.p99Ms)),
    calls: results.reduce((sum, result) => sum + result.calls, 0),
  });
  return { gw: merge(runs.gw), flexible: merge(runs.flexible) };
}

export async function benchRedis(): Promise<RedisRow[]> {
  const gwClient = client();
  const flexibleClient = client();
  const prefix = `gw-bench:${process.pid}:`;
  const store = createRedisStore({
    client: gwClient,
    prefix,
    timeoutMs: 5_000,
    failurePolicy: 'fail-closed',
  });
  const gw = createRateLimiter({ store });
  const flexible = (name: string) =>
    new RateLimiterRedis({
      storeClient: flexibleClient,
      points: unlimited,
      duration: 60,
      keyPrefix: `${prefix}rlf:${name}`,
    });
  const rpm = flexible('rpm');
  const tpm = flexible('tpm');
  const teamTpm = flexible('team');
  const gwNext = cycler();
  const flexibleNext = cycler();
  const rows: RedisRow[] = [];
  try {
    rows.push({
      workload: 'single hot key',
      ...(await interleaved(
        () => gw.check(hotSpecs, oneRequest),
        () => rpm.consume('hot', 1),
      )),
    });
    rows.push({
      workload: '100,000 distinct keys',
      ...(await interleaved(
        () => gw.check(distinctSpecs[gwNext()]!, oneRequest),
        () => rpm.consume(distinctKeyNames[flexibleNext()]!, 1),
      )),
    });
    rows.push({
      workload: 'three-limit check',
      ...(await interleaved(
        () => gw.check(threeLimitSpecs, requestWithTokens),
        () => Promise.all([rpm.consume('sk-1', 1), tpm.consume('sk-1', 100), teamTpm.consume('team-1', 100)]),
      )),
    });
    const failures = store.stats().failures;
    if (failures > 0) throw new Error(`gw RedisStore reported ${failures} failures during the bench`);
  } finally {
    await deleteByPrefix(gwClient, prefix);
    await store.close();
    gwClient.disconnect();
    flexibleClient.disconnect();
  }
  return rows;
}
