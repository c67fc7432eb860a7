// The typed error of @gw/tokens.
import { GwError } from '@gw/errors';

export type TokensErrorCode =
  | 'GW_ERR_TOKENS_INVALID_INPUT'
  | 'GW_ERR_TOKENS_POOL_BUSY'
  | 'GW_ERR_TOKENS_POOL_CLOSED'
  | 'GW_ERR_TOKENS_WORKER_FAILED';

export class TokensError extends GwError {
  override readonly code: TokensErrorCode;

  constructor(
    code: TokensErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; retryable?: boolean } = {},
  ) {
    const retryable =
      options.retryable ?? (code === 'GW_ERR_TOKENS_POOL_BUSY' || code === 'GW_ERR_TOKENS_WORKER_FAILED');
    const status = code === 'GW_ERR_TOKENS_INVALID_INPUT' ? 400 : 503;
    super({ code, message, cause: options.cause, details: options.details, status, isRetryable: retryable });
    this.name = 'TokensError';
    this.code = code;
  }
}

/** Throws the typed error for a value that should have been a string. */
export function assertString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TokensError(
      'GW_ERR_TOKENS_INVALID_INPUT',
      `${what} must be a string, got ${value === null ? 'null' : typeof value}; pass the text to count as a string.`,
    );
  }
}
