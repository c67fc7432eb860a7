// A separate Node process that hammers one limit through Redis; spawned several times by multi-process.test.ts.
// Protocol: reads its job as JSON from argv, prints 'ready', waits for 'go' on stdin, prints a JSON result.
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createRateLimiter } from '../../src/rate-limiter.ts';
import { createRedisStore } from '../../src/redis-store.ts';
import type { LimitSpec } from '../../src/types.ts';

interface Job {
  prefix: string;
  specs: LimitSpec[];
  attempts: number;
  /** 'check' consumes; 'hold' reserves and keeps every admitted reservation open. */
  mode: 'check' | 'hold';
}

const job = JSON.parse(process.argv[2]!) as Job;
const client = new Redis({ host: '127.0.0.1', port: 6379, enableAutoPipelining: true });
const store = createRedisStore({
  client,
  prefix: job.prefix,
  failurePolicy: 'fail-closed',
  timeoutMs: 10_000,
});
const limiter = createRateLimiter({ store, reservationTtlMs: 600_000 });
await client.ping();

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line.trim() === 'go') break;

const attempts = Array.from({ length: job.attempts }, async () => {
  if (job.mode === 'check') return (await limiter.check(job.specs, { requests: 1 })).allowed;
  return (await limiter.reserve(job.specs, { requests: 1 })).decision.allowed;
});
const outcomes = await Promise.all(attempts);
const admitted = outcomes.filter(Boolean).length;
process.stdout.write(`${JSON.stringify({ admitted, failures: store.stats().failures })}\n`);
lines.close();
await store.close();
await client.quit();
