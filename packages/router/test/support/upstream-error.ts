// Errors shaped like the ones a provider client throws, for driving the router's classification.
import type { ErrorClass } from '../../src/error-class.ts';

export class UpstreamError extends Error {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly errorClass: ErrorClass | undefined;
  readonly code: string | undefined;

  constructor(
    options: {
      status?: number;
      retryAfterMs?: number;
      errorClass?: ErrorClass;
      code?: string;
      message?: string;
    } = {},
  ) {
    super(options.message ?? `upstream failed with ${options.status ?? options.code ?? options.errorClass}`);
    this.name = 'UpstreamError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.errorClass = options.errorClass;
    this.code = options.code;
  }
}
