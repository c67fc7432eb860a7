import { describe, expect, it } from 'vitest';
import { GwError } from '../src/index.ts';

describe('GwError', () => {
  it('carries code, status, retryability and cause', () => {
    const cause = new Error('socket hang up');
    const error = new GwError({
      code: 'GW_ERR_TEST',
      message: 'boom',
      cause,
      isRetryable: true,
      status: 503,
    });
    expect(error.code).toBe('GW_ERR_TEST');
    expect(error.status).toBe(503);
    expect(error.isRetryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it('defaults to not retryable and status 500', () => {
    const error = new GwError({ code: 'GW_ERR_TEST', message: 'boom' });
    expect(error.isRetryable).toBe(false);
    expect(error.status).toBe(500);
  });

  it('recognises errors from another copy of the package by its global marker', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('gw.error')]: true, code: 'GW_ERR_X' });
    expect(GwError.isInstance(foreign)).toBe(true);
    expect(GwError.isInstance(new Error('plain'))).toBe(false);
    expect(GwError.isInstance(null)).toBe(false);
    expect(GwError.hasCode(foreign, 'GW_ERR_X')).toBe(true);
    expect(GwError.hasCode(foreign, 'GW_ERR_Y')).toBe(false);
  });

  it('lets subclasses keep isInstance', () => {
    class PoolError extends GwError {}
    const error = new PoolError({ code: 'GW_ERR_POOL', message: 'full' });
    expect(GwError.isInstance(error)).toBe(true);
  });
});
