// The pipeline's view of rate limits: reserve for the caller (key, team) and per deployment, then settle.
import type { Principal } from '../auth/authenticate.ts';
import type { DeploymentConfig } from '../config/gateway-config.ts';

export interface LimitGrant {
  /** Rate-limit response headers for the tightest limit checked. */
  readonly headers: Record<string, string>;
  /** Settles with the tokens actually used, and for a caller's budget, the answer's cost in USD. */
  commit(tokens: number, costUsd?: number): void;
  /** Refunds (the call never reached an upstream, or the client went away first). */
  release(): void;
}

/** A store that answers synchronously (the memory store) gives the value itself: no promise, no microtask turn. */
export type MaybePromise<T> = T | Promise<T>;

export interface GatewayLimits {
  /**
   * Key and team limits, their own for the model group (`modelGroup`, or `deployment`'s group), plus
   * `deployment`'s when given (one decision, one round trip); throws a 429 GwError with `details.retryAfterMs`
   * and `details.scope` when one is exceeded.
   */
  reserveCaller(
    principal: Principal,
    tokens: number,
    deployment?: DeploymentConfig,
    modelGroup?: string,
    /** The most the call may cost, held against the caller's budgets (max_budget) until it is settled. */
    costUsd?: number,
  ): MaybePromise<LimitGrant | undefined>;
  /** The deployment's rpm/tpm from litellm_params; throws a rate_limit error the router moves on from. */
  reserveDeployment(deployment: DeploymentConfig, tokens: number): MaybePromise<LimitGrant | undefined>;
  /** 1 when the shared store answers, 0 when not (metrics). */
  storeUp(): number;
  /** The store's counters, for metrics. */
  stats?(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}
