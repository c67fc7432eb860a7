// Sorting an attempt's failure into the classes retry policy, breakers and fallbacks act on.

export type ErrorClass =
  | 'rate_limit'
  | 'timeout'
  | 'connection'
  | 'upstream_5xx'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'context_window_exceeded'
  | 'content_policy'
  | 'aborted'
  | 'unknown';

export const errorClasses: readonly ErrorClass[] = [
  'rate_limit',
  'timeout',
  'connection',
  'upstream_5xx',
  'auth',
  'not_found',
  'bad_request',
  'context_window_exceeded',
  'content_policy',
  'aborted',
  'unknown',
];

export interface ClassifiedError {
  errorClass: ErrorClass;
  status?: number;
  /** How long the upstream asked us to wait (its `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
}

export type ErrorClassifier = (error: unknown) => ClassifiedError;

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const timeoutCodes = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === 'string' && (errorClasses as readonly string[]).includes(value);
}

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

function fromStatus(status: number, text: string): ErrorClass {
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'upstream_5xx';
  if (status === 400 || status === 413 || status === 422) {
    if (/context[_ ]length|context[_ ]window|maximum context|too many tokens/i.test(text)) {
      return 'context_window_exceeded';
    }
    if (/content[_ ]policy|content[_ ]filter|safety/i.test(text)) return 'content_policy';
    return 'bad_request';
  }
  return 'unknown';
}

/**
 * The default classifier. It reads, when present: `error.errorClass` (one of the classes, trusted as is),
 * `error.status` or `error.statusCode` (HTTP status), `error.retryAfterMs` (milliseconds), `error.code`
 * (Node/undici network codes, or provider codes like `context_length_exceeded`), and the error's name
 * (`AbortError`, `TimeoutError`).
 */
export function classifyError(error: unknown): ClassifiedError {
  if (typeof error !== 'object' || error === null) return { errorClass: 'unknown' };
  const rawStatus = field(error, 'status') ?? field(error, 'statusCode');
  const status = typeof rawStatus === 'number' && rawStatus >= 100 ? rawStatus : undefined;
  const rawRetryAfter = field(error, 'retryAfterMs');
  const retryAfterMs = typeof rawRetryAfter === 'number' && rawRetryAfter >= 0 ? rawRetryAfter : undefined;
  const result = (errorClass: ErrorClass): ClassifiedError => {
    const classified: ClassifiedError = { errorClass };
    if (status !== undefined) classified.status = status;
    if (retryAfterMs !== undefined) classified.retryAfterMs = retryAfterMs;
    return classified;
  };
  const declared = field(error, 'errorClass');
  if (isErrorClass(declared)) return result(declared);
  const code = field(error, 'code');
  const codeText = typeof code === 'string' ? code : '';
  if (codeText === 'context_length_exceeded') return result('context_window_exceeded');
  if (codeText === 'content_policy_violation' || codeText === 'content_filter')
    return result('content_policy');
  const name = field(error, 'name');
  if (name === 'AbortError') return result('aborted');
  if (name === 'TimeoutError' || timeoutCodes.has(codeText)) return result('timeout');
  if (connectionCodes.has(codeText)) return result('connection');
  if (status !== undefined) {
    const message = field(error, 'message');
    return result(fromStatus(status, `${codeText} ${typeof message === 'string' ? message : ''}`));
  }
  return result('unknown');
}
