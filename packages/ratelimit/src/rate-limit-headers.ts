// Turns a decision into OpenAI-style x-ratelimit-* response headers and retry-after.
import { formatDuration } from './duration-format.ts';
import type { Decision, LimitResult, LimitUnit } from './types.ts';

/** The binding limit of a unit: the one that failed, else the one with least left (longest reset on ties). */
function bindingResult(decision: Decision, unit: LimitUnit): LimitResult | undefined {
  const failed = decision.failed;
  // Concurrency caps are not rates; OpenAI's headers describe rates only, even when a cap denied the call.
  if (failed?.unit === unit && failed.algorithm !== 'concurrency') return failed;
  let binding: LimitResult | undefined;
  for (const result of decision.results) {
    if (result.unit !== unit || result.algorithm === 'concurrency') continue;
    if (
      binding === undefined ||
      result.remaining < binding.remaining ||
      (result.remaining === binding.remaining && result.resetMs > binding.resetMs)
    ) {
      binding = result;
    }
  }
  return binding;
}

/** Header names as constants: names built per response would be new strings to hash on every one. */
const headerNames = [
  {
    unit: 'requests',
    limit: 'x-ratelimit-limit-requests',
    remaining: 'x-ratelimit-remaining-requests',
    reset: 'x-ratelimit-reset-requests',
  },
  {
    unit: 'tokens',
    limit: 'x-ratelimit-limit-tokens',
    remaining: 'x-ratelimit-remaining-tokens',
    reset: 'x-ratelimit-reset-tokens',
  },
] as const;

export function rateLimitHeaders(decision: Decision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const names of headerNames) {
    const result = bindingResult(decision, names.unit);
    if (result === undefined) continue;
    headers[names.limit] = String(result.limit);
    headers[names.remaining] = String(result.remaining);
    headers[names.reset] = formatDuration(result.resetMs);
  }
  if (!decision.allowed) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    headers['retry-after-ms'] = String(Math.ceil(decision.retryAfterMs));
  }
  return headers;
}
