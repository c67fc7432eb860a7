// Turns a decision into OpenAI-style x-ratelimit-* response headers and retry-after.
import { formatDuration } from './duration-format.ts';
import type { Decision, LimitResult, LimitUnit } from './types.ts';

/** The binding limit of a unit: the one that failed, else the one with least left (longest reset on ties). */
function bindingResult(decision: Decision, unit: LimitUnit): LimitResult | undefined {
  if (decision.failed?.unit === unit) return decision.failed;
  let binding: LimitResult | undefined;
  for (const result of decision.results) {
    // Concurrency caps are not rates; OpenAI's headers describe rates only.
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

export function rateLimitHeaders(decision: Decision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const unit of ['requests', 'tokens'] as const) {
    const result = bindingResult(decision, unit);
    if (result === undefined) continue;
    headers[`x-ratelimit-limit-${unit}`] = String(result.limit);
    headers[`x-ratelimit-remaining-${unit}`] = String(result.remaining);
    headers[`x-ratelimit-reset-${unit}`] = formatDuration(result.resetMs);
  }
  if (!decision.allowed) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    headers['retry-after-ms'] = String(Math.ceil(decision.retryAfterMs));
  }
  return headers;
}
