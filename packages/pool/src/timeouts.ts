// Timeout settings and the defaults an LLM gateway needs (undici's 300 s for headers and body are too lax).

export interface Timeouts {
  /** TCP (and TLS) connection establishment. */
  connectMs: number;
  /** From sending the request to receiving the response headers. */
  headersMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
  /** Whole request, queueing to last body byte; applies to non-streaming requests only. */
  totalMs: number;
}

/**
 * Why these numbers:
 * - connect 5 s: a healthy provider edge accepts in well under a second; after 5 s another provider is the
 *   better bet, and connecting is always safe to retry.
 * - headers 120 s: a non-streaming completion sends headers only once the whole answer is generated, which
 *   for long outputs takes minutes; streaming calls get headers in seconds, so this only bounds a dead upstream.
 * - idle 30 s: streamed tokens (and provider keep-alive pings) arrive every few hundred ms; 30 s of silence
 *   means a stalled generation that will not recover.
 * - total 600 s: the largest non-streaming generation providers serve; a streaming call is bounded by idle
 *   instead, so long streams are never cut while tokens keep coming.
 */
export const defaultTimeouts: Readonly<Timeouts> = Object.freeze({
  connectMs: 5_000,
  headersMs: 120_000,
  idleMs: 30_000,
  totalMs: 600_000,
});

export function mergeTimeouts(base: Readonly<Timeouts>, override: Partial<Timeouts> | undefined): Timeouts {
  if (override === undefined) return { ...base };
  return {
    connectMs: override.connectMs ?? base.connectMs,
    headersMs: override.headersMs ?? base.headersMs,
    idleMs: override.idleMs ?? base.idleMs,
    totalMs: override.totalMs ?? base.totalMs,
  };
}
