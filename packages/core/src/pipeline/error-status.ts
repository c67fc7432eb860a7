// Turns anything thrown inside the pipeline into a GwError with the status and class the caller should see.
import { GwError } from '@gw/errors';
import { classifyError, type ErrorClass } from '@gw/router';
import { CLIENT_STATUS, RETRYABLE } from '../errors/provider-error.ts';

export interface FailedRequest {
  error: GwError;
  errorClass: ErrorClass;
  retryAfterMs?: number;
}

export function toFailure(thrown: unknown): FailedRequest {
  const classified = classifyError(thrown);
  const retryAfterMs = retryAfterOf(thrown) ?? classified.retryAfterMs;
  if (GwError.isInstance(thrown)) {
    const failure: FailedRequest = { error: thrown, errorClass: errorClassOf(thrown, classified.errorClass) };
    if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
    return failure;
  }
  const errorClass = classified.errorClass;
  const upstreamStatus = classified.status;
  // An upstream's 401 is the gateway's misconfiguration, not the caller's: never pass it through as 401.
  const status =
    upstreamStatus !== undefined && upstreamStatus < 500 && errorClass !== 'auth'
      ? upstreamStatus
      : statusOf(errorClass);
  const error = new GwError({
    code: 'GW_ERR_UPSTREAM',
    message: messageOf(thrown),
    status,
    cause: thrown,
    isRetryable: RETRYABLE.has(errorClass),
  });
  const failure: FailedRequest = { error, errorClass };
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

/** Something unclassifiable thrown inside the gateway is its own fault (500), not an upstream's (502). */
function statusOf(errorClass: ErrorClass): number {
  return errorClass === 'unknown' ? 500 : CLIENT_STATUS[errorClass];
}

function errorClassOf(error: GwError, classified: ErrorClass): ErrorClass {
  const declared = (error as { errorClass?: unknown }).errorClass;
  if (typeof declared === 'string') return declared as ErrorClass;
  if (classified !== 'unknown') return classified;
  if (error.status === 401 || error.status === 403) return 'auth';
  if (error.status === 404) return 'not_found';
  if (error.status === 429) return 'rate_limit';
  if (error.status >= 400 && error.status < 500) return 'bad_request';
  return 'unknown';
}

function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const direct = (error as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof direct === 'number') return direct;
  const details = (error as { details?: { retryAfterMs?: unknown } }).details;
  return typeof details?.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'The upstream call failed.';
}
