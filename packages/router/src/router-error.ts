// The errors the router itself raises; upstream errors pass through unchanged.
import { GwError } from '@gw/errors';
import type { ErrorClass } from './error-class.ts';

export type RouterErrorCode =
  | 'GW_ERR_ROUTER_NO_DEPLOYMENT'
  | 'GW_ERR_ROUTER_NO_HEALTHY_DEPLOYMENT'
  | 'GW_ERR_ROUTER_DEADLINE'
  | 'GW_ERR_ROUTER_CONTEXT_WINDOW'
  | 'GW_ERR_ROUTER_REQUEST_TOO_LARGE'
  | 'GW_ERR_ROUTER_STREAM_INTERRUPTED'
  | 'GW_ERR_ROUTER_TTFT_TIMEOUT'
  | 'GW_ERR_ROUTER_INVALID_CONFIG';

export interface RouterErrorOptions {
  code: RouterErrorCode;
  message: string;
  status: number;
  cause?: unknown;
  isRetryable?: boolean;
  errorClass?: ErrorClass;
  retryAfterMs?: number;
  /** True when the failing attempt had already sent bytes to the client (streams). */
  afterFirstByte?: boolean;
  details?: Readonly<Record<string, unknown>>;
}

export class RouterError extends GwError {
  override readonly code: RouterErrorCode;
  /** The class the router files this error under, so an outer router or a client can act on it. */
  readonly errorClass: ErrorClass | undefined;
  readonly retryAfterMs: number | undefined;
  readonly afterFirstByte: boolean;

  constructor(options: RouterErrorOptions) {
    super({
      code: options.code,
      message: options.message,
      status: options.status,
      cause: options.cause,
      isRetryable: options.isRetryable ?? false,
      details: options.details,
    });
    this.name = 'RouterError';
    this.code = options.code;
    this.errorClass = options.errorClass;
    this.retryAfterMs = options.retryAfterMs;
    this.afterFirstByte = options.afterFirstByte ?? false;
  }
}
