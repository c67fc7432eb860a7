import { describe, expect, it } from 'vitest';
import { classifyError } from '../src/classify-error.ts';
import { PoolError } from '../src/index.ts';
import { defaultTimeouts } from '../src/timeouts.ts';

const origin = 'https://api.example';

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyError', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'before-headers', 'GW_ERR_POOL_CONNECT_TIMEOUT', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'before-headers', 'GW_ERR_POOL_HEADERS_TIMEOUT', false],
    ['UND_ERR_BODY_TIMEOUT', 'after-headers', 'GW_ERR_POOL_IDLE_TIMEOUT', false],
    ['ECONNREFUSED', 'before-headers', 'GW_ERR_POOL_CONNECTION_REFUSED', true],
    ['ENOTFOUND', 'before-headers', 'GW_ERR_POOL_DNS', true],
    ['EAI_AGAIN', 'before-headers', 'GW_ERR_POOL_DNS', true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'before-headers', 'GW_ERR_POOL_TLS', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'before-headers', 'GW_ERR_POOL_TLS', false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'before-headers', 'GW_ERR_POOL_TLS', false],
    ['UND_ERR_SOCKET', 'before-headers', 'GW_ERR_POOL_RESET_BEFORE_HEADERS', true],
    ['ECONNRESET', 'before-headers', 'GW_ERR_POOL_RESET_BEFORE_HEADERS', true],
    ['EPIPE', 'before-headers', 'GW_ERR_POOL_RESET_BEFORE_HEADERS', true],
    ['ETIMEDOUT', 'before-headers', 'GW_ERR_POOL_RESET_BEFORE_HEADERS', true],
    ['ERR_HTTP2_STREAM_ERROR', 'before-headers', 'GW_ERR_POOL_RESET_BEFORE_HEADERS', true],
    ['HPE_INVALID_CONSTANT', 'before-headers', 'GW_ERR_POOL_RESET_BEFORE_HEADERS', true],
    ['UND_ERR_SOCKET', 'after-headers', 'GW_ERR_POOL_RESET_MID_BODY', false],
    ['ECONNRESET', 'after-headers', 'GW_ERR_POOL_RESET_MID_BODY', false],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'after-headers', 'GW_ERR_POOL_RESET_MID_BODY', false],
    ['UND_ERR_DESTROYED', 'before-headers', 'GW_ERR_POOL_CLOSED', true],
    ['UND_ERR_ABORTED', 'before-headers', 'GW_ERR_POOL_ABORTED', false],
    ['UND_ERR_INVALID_ARG', 'before-headers', 'GW_ERR_POOL_INVALID_REQUEST', false],
    ['SOMETHING_NEW', 'before-headers', 'GW_ERR_POOL_UPSTREAM', false],
  ] as const)('maps %s %s to %s (retryable: %s)', (code, phase, expected, retryable) => {
    const cause = coded(code);
    const error = classifyError(cause, origin, phase, defaultTimeouts);
    expect(error).toBeInstanceOf(PoolError);
    expect(error.code).toBe(expected);
    expect(error.isRetryable).toBe(retryable);
    expect(error.cause).toBe(cause);
    expect(error.origin).toBe(origin);
  });

  it('says which timeout fired and its setting in the message', () => {
    const error = classifyError(coded('UND_ERR_HEADERS_TIMEOUT'), origin, 'before-headers', defaultTimeouts);
    expect(error.timeoutKind).toBe('headers');
    expect(error.message).toContain('120000 ms');
    expect(error.message).toContain('timeouts.headersMs');
  });

  it('passes a PoolError through unchanged', () => {
    const original = new PoolError({ code: 'GW_ERR_POOL_FULL', message: 'full', origin });
    expect(classifyError(original, origin, 'before-headers')).toBe(original);
  });

  it('classifies values that are not errors', () => {
    expect(classifyError('boom', origin, 'before-headers').code).toBe('GW_ERR_POOL_UPSTREAM');
  });
});
