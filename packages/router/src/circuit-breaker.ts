// Passive health per deployment: closed, open after failures, half-open probes after the cooldown.
import type { BreakerStore } from './breaker-store.ts';
import type { ErrorClass } from './error-class.ts';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker (LiteLLM's allowed_fails). Default 3. */
  consecutiveFailures?: number;
  /** Failure ratio in the window that opens the breaker, once `minimumRequests` were seen. Default 0.5. */
  failureRatio?: number;
  minimumRequests?: number;
  windowMs?: number;
  /** How long an opened breaker stays open (LiteLLM's cooldown_time). Default 5 s. */
  cooldownMs?: number;
  /** Cooldown after a 429 without a Retry-After. Default `cooldownMs`. */
  rateLimitCooldownMs?: number;
  /** Upper bound on any cooldown, however long the Retry-After. Default 5 minutes. */
  maxCooldownMs?: number;
  /** Concurrent probe requests let through while half-open. Default 1. */
  halfOpenProbes?: number;
  /**
   * Per error class, the failures of that class a deployment may have within `windowMs`: the next one opens the
   * breaker (LiteLLM's `allowed_fails_policy`). A class listed here is judged by this count alone: it no longer
   * opens the breaker at once (a 429) nor counts toward `consecutiveFailures` or `failureRatio`. Classes that say
   * nothing about the deployment (a bad request, a context window or content policy error) never open it.
   */
  allowedFails?: Partial<Record<ErrorClass, number>>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Classes that say nothing about the deployment's health (the request's or the caller's fault). */
const neutralClasses: ReadonlySet<ErrorClass> = new Set([
  'bad_request',
  'context_window_exceeded',
  'content_policy',
  'aborted',
]);
/** Classes that open the breaker at once: the deployment will keep failing for a while. */
const immediateClasses: ReadonlySet<ErrorClass> = new Set(['rate_limit', 'auth', 'not_found']);

export class CircuitBreaker {
  readonly #id: string;
  readonly #store: BreakerStore;
  readonly #consecutiveLimit: number;
  readonly #ratio: number;
  readonly #minimum: number;
  readonly #windowMs: number;
  readonly #cooldownMs: number;
  readonly #rateLimitCooldownMs: number;
  readonly #maxCooldownMs: number;
  readonly #probeLimit: number;
  readonly #allowedFails: Partial<Record<ErrorClass, number>> | undefined;
  /** Failures per class under `allowedFails`, counted in windows of `windowMs` from the first. */
  #classFailures: Partial<Record<ErrorClass, { since: number; count: number }>> | undefined;
  #consecutive = 0;
  #windowStart = 0;
  #windowSuccesses = 0;
  #windowFailures = 0;
  #probesInFlight = 0;

  constructor(deploymentId: string, store: BreakerStore, options: BreakerOptions = {}) {
    this.#id = deploymentId;
    this.#store = store;
    this.#consecutiveLimit = options.consecutiveFailures ?? 3;
    this.#ratio = options.failureRatio ?? 0.5;
    this.#minimum = options.minimumRequests ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#cooldownMs = options.cooldownMs ?? 5_000;
    this.#rateLimitCooldownMs = options.rateLimitCooldownMs ?? this.#cooldownMs;
    this.#maxCooldownMs = options.maxCooldownMs ?? 300_000;
    this.#probeLimit = options.halfOpenProbes ?? 1;
    this.#allowedFails = options.allowedFails;
  }

  state(now: number): BreakerState {
    const trip = this.#store.read(this.#id);
    if (trip === undefined) return 'closed';
    return now < trip.until ? 'open' : 'half-open';
  }

  /** When an open breaker lets probes through, or undefined when it is not open. */
  openUntil(now: number): number | undefined {
    const trip = this.#store.read(this.#id);
    return trip !== undefined && now < trip.until ? trip.until : undefined;
  }

  openReason(): ErrorClass | undefined {
    return this.#store.read(this.#id)?.reason;
  }

  get failuresInARow(): number {
    return this.#consecutive;
  }

  /** Whether a request may go to this deployment now. */
  allows(now: number): boolean {
    const trip = this.#store.read(this.#id);
    if (trip === undefined) return true;
    return now >= trip.until && this.#probesInFlight < this.#probeLimit;
  }

  /** Marks the start of a request; returns whether it is a half-open probe. */
  begin(now: number): boolean {
    if (this.state(now) !== 'half-open') return false;
    this.#probesInFlight++;
    return true;
  }

  #count(now: number, failed: boolean): void {
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#windowSuccesses = 0;
      this.#windowFailures = 0;
    }
    if (failed) this.#windowFailures++;
    else this.#windowSuccesses++;
  }

  onSuccess(now: number, probe: boolean): void {
    if (probe) this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
    this.#consecutive = 0;
    this.#count(now, false);
    if (probe || this.state(now) === 'half-open') this.#store.clear(this.#id);
  }

  /** Records a failed attempt; returns whether it opened the breaker. */
  onFailure(now: number, probe: boolean, errorClass: ErrorClass, retryAfterMs?: number): boolean {
    if (probe) this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
    if (neutralClasses.has(errorClass)) return false;
    const allowed = this.#allowedFails?.[errorClass];
    if (allowed !== undefined) {
      if (!probe && this.#countClassFailure(now, errorClass) <= allowed) return false;
      this.open(now, errorClass, retryAfterMs);
      return true;
    }
    this.#consecutive++;
    this.#count(now, true);
    const volume = this.#windowFailures + this.#windowSuccesses;
    const trips =
      probe ||
      immediateClasses.has(errorClass) ||
      this.#consecutive >= this.#consecutiveLimit ||
      (volume >= this.#minimum && this.#windowFailures / volume >= this.#ratio);
    if (!trips) return false;
    this.open(now, errorClass, retryAfterMs);
    return true;
  }

  /** This failure counted with the others of its class in the current window; returns the count. */
  #countClassFailure(now: number, errorClass: ErrorClass): number {
    this.#classFailures ??= {};
    const counted = this.#classFailures[errorClass];
    if (counted === undefined || now - counted.since >= this.#windowMs) {
      this.#classFailures[errorClass] = { since: now, count: 1 };
      return 1;
    }
    counted.count++;
    return counted.count;
  }

  open(now: number, reason: ErrorClass, retryAfterMs?: number): void {
    const base = reason === 'rate_limit' ? this.#rateLimitCooldownMs : this.#cooldownMs;
    const until = now + Math.min(this.#maxCooldownMs, retryAfterMs ?? base);
    // A failure of a request already in flight (or a health probe) must not shorten a trip in force: a provider's
    // 60 s Retry-After cut to the 5 s default would send traffic back into its 429s.
    const current = this.#store.read(this.#id);
    if (current === undefined || current.until < until) this.#store.open(this.#id, { until, reason });
    this.#consecutive = 0;
    this.#windowStart = now;
    this.#windowSuccesses = 0;
    this.#windowFailures = 0;
    this.#classFailures = undefined;
  }

  /** A passing active health check proves the deployment up: close at once. */
  onProbeSuccess(): void {
    this.#consecutive = 0;
    if (this.#store.read(this.#id) !== undefined) this.#store.clear(this.#id);
  }
}
