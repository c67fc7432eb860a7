import { describe, expect, it } from 'vitest';
import { classifyError } from '../src/index.ts';

describe('classifyError', () => {
  it.each([
    [
      { status: 429, retryAfterMs: 1_500 },
      { errorClass: 'rate_limit', status: 429, retryAfterMs: 1_500 },
    ],
    [{ status: 408 }, { errorClass: 'timeout', status: 408 }],
    [{ status: 401 }, { errorClass: 'auth', status: 401 }],
    [{ statusCode: 403 }, { errorClass: 'auth', status: 403 }],
    [{ status: 404 }, { errorClass: 'not_found', status: 404 }],
    [{ status: 500 }, { errorClass: 'upstream_5xx', status: 500 }],
    [{ status: 529 }, { errorClass: 'upstream_5xx', status: 529 }],
    [{ status: 400 }, { errorClass: 'bad_request', status: 400 }],
    [
      { status: 400, code: 'context_length_exceeded' },
      { errorClass: 'context_window_exceeded', status: 400 },
    ],
    [
      { status: 400, message: "This model's maximum context length is 8192 tokens" },
      { errorClass: 'context_window_exceeded', status: 400 },
    ],
    [
      { status: 400, code: 'content_policy_violation' },
      { errorClass: 'content_policy', status: 400 },
    ],
    [{ code: 'ECONNREFUSED' }, { errorClass: 'connection' }],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, { errorClass: 'timeout' }],
    [{ name: 'TimeoutError' }, { errorClass: 'timeout' }],
    [{ name: 'AbortError' }, { errorClass: 'aborted' }],
    [
      { errorClass: 'content_policy', status: 200 },
      { errorClass: 'content_policy', status: 200 },
    ],
    [{ errorClass: 'not-a-class' }, { errorClass: 'unknown' }],
    ['a string', { errorClass: 'unknown' }],
  ])('classifies %j', (error, expected) => {
    expect(classifyError(error)).toEqual(expected);
  });
});
