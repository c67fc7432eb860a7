// Public API of @gw/ratelimit.
export { type CoarseClockOptions, createCoarseClock } from './coarse-clock.ts';
export { formatDuration } from './duration-format.ts';
export type { IntervalTimers } from './interval-timers.ts';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export { RateLimitError, type RateLimitErrorCode } from './rate-limit-error.ts';
export { rateLimitHeaders } from './rate-limit-headers.ts';
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type Reservation,
} from './rate-limiter.ts';
export { createRedisStore, type FailurePolicy, type RedisStoreOptions } from './redis-store.ts';
export {
  createTokenEstimator,
  type EstimatorRequest,
  estimatePromptTokens,
  type TokenEstimator,
  type TokenEstimatorOptions,
} from './token-estimator.ts';
export type {
  Algorithm,
  Amounts,
  DecideRequest,
  Decision,
  LimitResult,
  LimitSpec,
  LimitUnit,
  SettleRequest,
  Store,
  StoreStats,
} from './types.ts';
