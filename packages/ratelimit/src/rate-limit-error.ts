// The typed errors of @gw/ratelimit: a denied call (429), an unreachable store (503) and invalid input.
import { GwError } from '@gw/errors';
import type { Decision } from './types.ts';

export type RateLimitErrorCode =
  | 'GW_ERR_RATE_LIMITED'
  | 'GW_ERR_STORE_UNAVAILABLE'
  | 'GW_ERR_RATELIMIT_INVALID';

export class RateLimitError extends GwError {
  override readonly code: RateLimitErrorCode;
  /** The denying decision, for GW_ERR_RATE_LIMITED. */
  readonly decision: Decision | undefined;

  constructor(options: {
    code: RateLimitErrorCode;
    message: string;
    status: number;
    isRetryable: boolean;
    cause?: unknown;
    decision?: Decision;
  }) {
    const failed = options.decision?.failed;
    super({
      code: options.code,
      message: options.message,
      status: options.status,
      isRetryable: options.isRetryable,
      cause: options.cause,
      details:
        failed === undefined
          ? undefined
          : { limit: failed.name, unit: failed.unit, retryAfterMs: options.decision!.retryAfterMs },
    });
    this.name = 'RateLimitError';
    this.code = options.code;
    this.decision = options.decision;
  }

  /** The 429 a caller returns for a denied decision. */
  static rateLimited(decision: Decision): RateLimitError {
    const failed = decision.failed;
    const what =
      failed === undefined ? 'a rate limit' : `the ${failed.unit} limit '${failed.name}' (${failed.limit})`;
    return new RateLimitError({
      code: 'GW_ERR_RATE_LIMITED',
      message: `Rate limit exceeded: ${what}. Retry after ${Math.ceil(decision.retryAfterMs / 1000)}s.`,
      status: 429,
      isRetryable: true,
      decision,
    });
  }

  static storeUnavailable(cause: unknown): RateLimitError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new RateLimitError({
      code: 'GW_ERR_STORE_UNAVAILABLE',
      message: `Rate-limit store unavailable (${reason}); the request was rejected because the failure policy is fail-closed. Check Redis, or use fail-open.`,
      status: 503,
      isRetryable: true,
      cause,
    });
  }

  static invalid(message: string): RateLimitError {
    return new RateLimitError({ code: 'GW_ERR_RATELIMIT_INVALID', message, status: 500, isRetryable: false });
  }
}
