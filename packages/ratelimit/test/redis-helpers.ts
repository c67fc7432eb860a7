// Test plumbing for the real Redis at 127.0.0.1:6379: unique key prefixes and cleanup.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const redisUrl = 'redis://127.0.0.1:6379';

export function uniquePrefix(): string {
  return `gw-test:rl:${randomUUID().slice(0, 8)}:`;
}

export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export async function countKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

export function connect(options: { port?: number } = {}): Redis {
  return new Redis({
    host: '127.0.0.1',
    port: options.port ?? 6379,
    enableAutoPipelining: true,
    lazyConnect: false,
  });
}
