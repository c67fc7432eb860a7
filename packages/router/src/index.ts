// Public API of @gw/router.
export type { BackoffOptions } from './backoff.ts';
export { type BreakerStore, type BreakerTrip, createMemoryBreakerStore } from './breaker-store.ts';
export type { BreakerOptions, BreakerState } from './circuit-breaker.ts';
export { createStrategy, type StrategyOptions, strategyNames } from './create-strategy.ts';
export type { Deployment, DeploymentCapabilities } from './deployment.ts';
export type { DeploymentStats, LatencyOptions } from './deployment-stats.ts';
export {
  type ClassifiedError,
  classifyError,
  type ErrorClass,
  type ErrorClassifier,
  errorClasses,
} from './error-class.ts';
export { followAbort } from './follow-abort.ts';
export { neverAborts } from './never-aborts.ts';
export {
  type BreakerRedisClient,
  createRedisBreakerStore,
  type RedisBreakerStore,
  type RedisBreakerStoreOptions,
} from './redis-breaker-store.ts';
export type { RetryBudgetOptions } from './retry-budget.ts';
export { type RetryPolicy, type RetryRule, resolveRetryPolicy } from './retry-policy.ts';
export { createRouter } from './router.ts';
export { RouterError, type RouterErrorCode, type RouterErrorOptions } from './router-error.ts';
export type {
  Attempt,
  AttemptContext,
  AttemptEvent,
  DeploymentState,
  HealthCheckOptions,
  ResultEvent,
  RouteRequest,
  RouteResult,
  Router,
  RouterOptions,
  RouterState,
  TokenUsage,
} from './router-types.ts';
export type { PickContext, Picker, PickerEnvironment, Strategy, StrategyName } from './strategy.ts';
export { createSleep, type Sleep, type Timers } from './timers.ts';
export { createLocalUsageSource, type UsageSource } from './usage-source.ts';
