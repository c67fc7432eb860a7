// A pool for one test, closed when that test finishes, pass or fail.
import { onTestFinished } from 'vitest';
import { createUpstreamPool, type UpstreamPool, type UpstreamPoolOptions } from '../../src/index.ts';

export function openPool(options?: UpstreamPoolOptions): UpstreamPool {
  const pool = createUpstreamPool(options);
  onTestFinished(() => pool.close());
  return pool;
}
