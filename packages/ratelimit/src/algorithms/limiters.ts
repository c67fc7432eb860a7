// Looks up the Limiter implementation of an algorithm name.
import type { Algorithm } from '../types.ts';
import { concurrency } from './concurrency.ts';
import { fixedWindow } from './fixed-window.ts';
import { gcra } from './gcra.ts';
import type { Limiter } from './limiter.ts';
import { slidingLog } from './sliding-log.ts';
import { slidingWindow } from './sliding-window.ts';
import { tokenBucket } from './token-bucket.ts';

export const limiters: Readonly<Record<Algorithm, Limiter>> = {
  'sliding-window': slidingWindow,
  'sliding-log': slidingLog,
  'token-bucket': tokenBucket,
  gcra,
  'fixed-window': fixedWindow,
  concurrency,
};
