// Public API of @gw/pool.
export { createCachedLookup } from './cached-lookup.ts';
export { PoolError, type PoolErrorCode, type TimeoutKind } from './pool-error.ts';
export type { BodyConsumer, ResponseBody } from './response-body.ts';
export { defaultTimeouts, type Timeouts } from './timeouts.ts';
export type {
  CompleteEvent,
  ConnectEvent,
  HeadersEvent,
  HttpMethod,
  OriginOptions,
  OriginStats,
  PoolHooks,
  UpstreamPool,
  UpstreamPoolOptions,
  UpstreamRequest,
  UpstreamResponse,
} from './types.ts';
export { createUpstreamPool } from './upstream-pool.ts';
