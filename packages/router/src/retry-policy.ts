// Per error class: how many retries a model group gets, and whether to move on to fallback groups.
import type { ErrorClass } from './error-class.ts';

export interface RetryRule {
  /** Retries within the same model group (each may land on another deployment). */
  retries: number;
  /** Whether to try fallback groups once the retries are spent. */
  fallback: boolean;
}

export type RetryPolicy = Record<ErrorClass, RetryRule>;

/**
 * Defaults in LiteLLM's spirit: transient and deployment-specific failures are retried (a failed deployment's
 * breaker steers the retry elsewhere); a bad request is the caller's and goes back at once; context window and
 * content policy errors never repeat on the group, they go to their own fallback lists.
 */
export function resolveRetryPolicy(numRetries: number, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const transient: RetryRule = { retries: numRetries, fallback: true };
  return {
    rate_limit: transient,
    timeout: transient,
    connection: transient,
    upstream_5xx: transient,
    auth: transient,
    not_found: transient,
    unknown: transient,
    bad_request: { retries: 0, fallback: false },
    context_window_exceeded: { retries: 0, fallback: true },
    content_policy: { retries: 0, fallback: true },
    aborted: { retries: 0, fallback: false },
    ...overrides,
  };
}
