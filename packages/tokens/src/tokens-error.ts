// The typed error of @gw/tokens.
import { GwError } from '@gw/errors';

export type TokensErrorCode =
  | 'GW_ERR_TOKENS_INVALID_INPUT'
  | 'GW_ERR_TOKENS_UNKNOWN_ENCODING'
  | 'GW_ERR_TOKENS_POOL_CLOSED';

export class TokensError extends GwError {
  override readonly code: TokensErrorCode;

  constructor(
    code: TokensErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super({ code, message, cause: options.cause, details: options.details, status: 400, isRetryable: false });
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
