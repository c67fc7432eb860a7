import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createRateLimiter, createRedisStore } from './src/index.ts';

const c1 = new Redis({ port: 6399, enableAutoPipelining: true });
const c2 = new Redis({ port: 6399, enableAutoPipelining: true });
const store = createRedisStore({ client: c1, prefix: 'dbg2:' });
const gw = createRateLimiter({ store });
const rlf = new RateLimiterRedis({ storeClient: c2, points: 1e12, duration: 60, keyPrefix: 'dbg2:rlf' });
const spec = [
  { name: 'rpm', key: 'hot', algorithm: 'sliding-window', limit: 1e12, windowMs: 60000, unit: 'requests' },
] as const;
async function loop(fn: () => Promise<unknown>, n: number) {
  const t = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (i++ < n) await fn();
    }),
  );
  return ((n / (performance.now() - t)) * 1000).toFixed(0);
}
for (const [name, fn] of [
  ['gw', () => gw.check(spec, { requests: 1 })],
  ['rlf', () => rlf.consume('hot', 1)],
] as const) {
  await loop(fn, 2000);
  await c1.call('CONFIG', 'RESETSTAT');
  const cpu0 = process.cpuUsage();
  const rate = await loop(fn, 20000);
  const cpu = process.cpuUsage(cpu0);
  const info = (await c1.info('commandstats')).split('\n').filter((l) => /evalsha|cmdstat_eval:/.test(l));
  console.log(
    name,
    rate,
    '/s',
    'node cpu us/call',
    ((cpu.user + cpu.system) / 20000).toFixed(1),
    info.join(' '),
  );
}
const keys = await c1.keys('dbg2:*');
if (keys.length) await c1.del(...keys);
c1.disconnect();
c2.disconnect();
