// LiteLLM's per-deployment `max_retries`: the provider client's own retries on the same deployment, before the
// router sees the failure and moves on.
import { classifyError, type Sleep } from '@gw/router';
import { RETRYABLE } from '../errors/provider-error.ts';

/** The SDKs' schedule: 0.5 s doubling to 8 s with up to 25% jitter off, or the upstream's Retry-After if shorter than a minute. */
export function sdkRetryDelay(retry: number, retryAfterMs: number | undefined, random: () => number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0 && retryAfterMs < 60_000) return retryAfterMs;
  const delay = Math.min(500 * 2 ** retry, 8_000);
  return delay * (1 - 0.25 * random());
}

export interface DeploymentRetryOptions {
  retries: number;
  signal: AbortSignal;
  sleep: Sleep;
  random: () => number;
}

/** Runs `call`, repeating it on the same deployment up to `retries` times for retryable failures. */
export async function withDeploymentRetries<T>(
  options: DeploymentRetryOptions,
  call: () => Promise<T>,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await call();
    } catch (error) {
      if (retry >= options.retries || options.signal.aborted) throw error;
      const classified = classifyError(error);
      // The failures the OpenAI and Anthropic SDKs retry too: limits, timeouts, lost connections and 5xx.
      if (!RETRYABLE.has(classified.errorClass)) throw error;
      await options.sleep(sdkRetryDelay(retry, classified.retryAfterMs, options.random), options.signal);
    }
  }
}
