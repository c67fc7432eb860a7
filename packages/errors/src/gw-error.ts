// The one error base class of gw: a stable code, a cause, retryability and the HTTP status it maps to.

const marker = Symbol.for('gw.error');

export interface GwErrorOptions {
  /** Stable machine-readable code, always prefixed `GW_ERR_`. */
  code: `GW_ERR_${string}`;
  message: string;
  cause?: unknown;
  /** Whether repeating the same call may succeed. */
  isRetryable?: boolean;
  /** HTTP status this error maps to when it reaches a client. */
  status?: number;
  /** Extra structured detail (never secrets). */
  details?: Readonly<Record<string, unknown>>;
}

export class GwError extends Error {
  readonly [marker] = true;
  readonly code: `GW_ERR_${string}`;
  readonly isRetryable: boolean;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(options: GwErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GwError';
    this.code = options.code;
    this.isRetryable = options.isRetryable ?? false;
    this.status = options.status ?? 500;
    this.details = options.details;
  }

  /** True for any gw error, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is GwError {
    return typeof value === 'object' && value !== null && (value as { [marker]?: unknown })[marker] === true;
  }

  /** True when `value` is a gw error with the given code. */
  static hasCode(value: unknown, code: string): value is GwError {
    return GwError.isInstance(value) && value.code === code;
  }
}
