// The typed error every provider failure becomes: the router's error class, Retry-After and a secret-free message.
import { GwError } from '@gw/errors';
import type { ErrorClass } from '@gw/router';

export interface ProviderErrorOptions {
  errorClass: ErrorClass;
  message: string;
  provider: string;
  /** The upstream's HTTP status, when it answered. */
  upstreamStatus?: number;
  retryAfterMs?: number;
  /** The provider's own error code or type (`context_length_exceeded`, `overloaded_error`...). */
  providerCode?: string;
  cause?: unknown;
}

/** What the caller sees for each class: the upstream's fault is the gateway's 502, never the caller's 401. */
export const CLIENT_STATUS: Record<ErrorClass, number> = {
  rate_limit: 429,
  timeout: 504,
  connection: 502,
  upstream_5xx: 502,
  auth: 502,
  not_found: 404,
  bad_request: 400,
  context_window_exceeded: 400,
  content_policy: 400,
  aborted: 499,
  unknown: 502,
};

/** The classes worth trying again, here or on another deployment. */
export const RETRYABLE: ReadonlySet<ErrorClass> = new Set([
  'rate_limit',
  'timeout',
  'connection',
  'upstream_5xx',
]);

export class ProviderError extends GwError {
  readonly errorClass: ErrorClass;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly provider: string;
  readonly providerCode: string | undefined;

  constructor(options: ProviderErrorOptions) {
    const details: Record<string, unknown> = { provider: options.provider, errorClass: options.errorClass };
    if (options.upstreamStatus !== undefined) details.upstreamStatus = options.upstreamStatus;
    if (options.retryAfterMs !== undefined) details.retryAfterMs = options.retryAfterMs;
    if (options.providerCode !== undefined) details.providerCode = options.providerCode;
    super({
      code: `GW_ERR_PROVIDER_${options.errorClass.toUpperCase()}`,
      message: options.message,
      status: CLIENT_STATUS[options.errorClass],
      isRetryable: RETRYABLE.has(options.errorClass),
      details,
      cause: options.cause,
    });
    this.name = 'ProviderError';
    this.errorClass = options.errorClass;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.providerCode = options.providerCode;
  }

  static isProviderError(value: unknown): value is ProviderError {
    return GwError.isInstance(value) && typeof (value as { errorClass?: unknown }).errorClass === 'string';
  }
}
