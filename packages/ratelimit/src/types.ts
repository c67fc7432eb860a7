// The data shapes shared by the limiter, the algorithms and every Store implementation.

export type Algorithm =
  | 'sliding-window'
  | 'sliding-log'
  | 'token-bucket'
  | 'gcra'
  | 'fixed-window'
  | 'concurrency';

export type LimitUnit = 'requests' | 'tokens';

/**
 * One limit to enforce. State is kept per (`name`, `key`): `name` names the limit shared by all subjects
 * (e.g. `key:rpm`), `key` names the subject (e.g. a hashed API key id).
 */
export interface LimitSpec {
  name: string;
  key: string;
  algorithm: Algorithm;
  /** Maximum amount per window; for `concurrency`, the maximum amount in flight. */
  limit: number;
  /** Window length; for `concurrency`, the lease lifetime of a `check()` (reservations use their own TTL). */
  windowMs: number;
  unit: LimitUnit;
}

export interface LimitResult {
  name: string;
  unit: LimitUnit;
  algorithm: Algorithm;
  limit: number;
  /** Amount still available after this decision (whole units, never negative). */
  remaining: number;
  /** Milliseconds until the limit is fully replenished. */
  resetMs: number;
  allowed: boolean;
}

export interface Decision {
  allowed: boolean;
  /** One result per spec, in the order the specs were given. */
  results: LimitResult[];
  /** The first limit that denied the call. */
  failed?: LimitResult;
  /** 0 when allowed; otherwise how long to wait before every limit the call exceeds has room for it. */
  retryAfterMs: number;
}

export interface Amounts {
  requests?: number;
  tokens?: number;
}

/**
 * One atomic multi-limit decision. Each spec costs `tokens` when its unit is `tokens`, else `requests`.
 * Without `reservation`, every cost is consumed (a `concurrency` spec takes a lease that lasts its `windowMs`).
 * With `reservation`, request-unit window limits are consumed, while token-unit limits and `concurrency` limits
 * are held under `reservation.id` until settled or until `ttlMs` passes.
 * If any spec does not fit, nothing is consumed or held.
 */
export interface DecideRequest {
  specs: readonly LimitSpec[];
  requests: number;
  tokens: number;
  reservation?: { id: string; ttlMs: number } | undefined;
}

/**
 * Ends a reservation: removes its holds (already expired ones are ignored) and, when `actualTokens` is given,
 * consumes it on the token-unit window limits, even past the limit (the tokens were already spent).
 */
export interface SettleRequest {
  specs: readonly LimitSpec[];
  reservationId: string;
  /** The amounts the reservation was made with (they identify its holds). */
  requests: number;
  tokens: number;
  actualTokens?: number | undefined;
}

/** Monotonic counters, shaped for a metrics exporter. */
export interface StoreStats {
  decisions: number;
  denied: number;
  settlements: number;
  /** Keys currently held (memory stores only; Redis reports 0). */
  keys: number;
  /** Live keys dropped because the memory cap was reached. */
  evictions: number;
  /** Store calls that failed or timed out. */
  failures: number;
  timeouts: number;
  /** Decisions taken by the local fallback while Redis was unavailable (fail-open). */
  failOpenDecisions: number;
  /** Calls rejected because Redis was unavailable (fail-closed). */
  failClosedRejections: number;
  /** Times the Lua script had to be sent in full (NOSCRIPT). */
  scriptLoads: number;
}

/** The pluggable storage contract every store implements and the contract test suite checks. */
export interface Store {
  decide(request: DecideRequest): Promise<Decision>;
  settle(request: SettleRequest): Promise<void>;
  stats(): StoreStats;
  close(): Promise<void>;
}
