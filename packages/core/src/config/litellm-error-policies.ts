// LiteLLM's per-exception policies (`retry_policy`, `model_group_retry_policy`, `allowed_fails_policy`) in gw's error classes.
import type { ErrorClass } from '@gw/router';

/**
 * LiteLLM's exception names, as its policies spell them (`RateLimitErrorRetries`, `RateLimitErrorAllowedFails`),
 * and the error class of each. LiteLLM's InternalServerError is a 500; gw's `upstream_5xx` covers every 5xx.
 */
export const litellmErrorClasses = {
  BadRequestError: 'bad_request',
  AuthenticationError: 'auth',
  TimeoutError: 'timeout',
  RateLimitError: 'rate_limit',
  ContentPolicyViolationError: 'content_policy',
  InternalServerError: 'upstream_5xx',
} as const satisfies Record<string, ErrorClass>;

export type LitellmErrorName = keyof typeof litellmErrorClasses;

export const litellmErrorNames = Object.keys(litellmErrorClasses) as LitellmErrorName[];

/** A count per error class, as a policy sets it. */
export type ErrorClassCounts = Partial<Record<ErrorClass, number>>;

/**
 * `{ RateLimitErrorRetries: 3 }` with suffix `Retries` becomes `{ rate_limit: 3 }`; entries left unset (or null,
 * as LiteLLM's pydantic models allow) are left out.
 */
export function countsByErrorClass(
  policy: Partial<Record<string, number | null>> | undefined,
  suffix: 'Retries' | 'AllowedFails',
): ErrorClassCounts | undefined {
  if (policy === undefined) return undefined;
  const counts: ErrorClassCounts = {};
  for (const name of litellmErrorNames) {
    const count = policy[`${name}${suffix}`];
    if (count !== undefined && count !== null) counts[litellmErrorClasses[name]] = count;
  }
  return counts;
}
