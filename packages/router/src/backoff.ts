// Exponential backoff with full jitter (AWS architecture blog), capped.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 100, maxMs: 5_000 };

/** Delay before retry number `retry` (0 for the first retry): uniform in [0, min(max, base * 2^retry)). */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}
