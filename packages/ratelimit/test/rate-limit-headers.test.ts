import { describe, expect, it } from 'vitest';
import { formatDuration } from '../src/duration-format.ts';
import { rateLimitHeaders } from '../src/rate-limit-headers.ts';
import type { Decision, LimitResult } from '../src/types.ts';

function result(overrides: Partial<LimitResult>): LimitResult {
  return {
    name: 'key:rpm',
    unit: 'requests',
    algorithm: 'sliding-window',
    limit: 100,
    remaining: 50,
    resetMs: 1_000,
    allowed: true,
    ...overrides,
  };
}

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [17, '17ms'],
    [999.2, '1s'],
    [1_000, '1s'],
    [8_640, '8.64s'],
    [1_001, '1.001s'],
    [1_010, '1.01s'],
    [1_050, '1.05s'],
    [1_100, '1.1s'],
    [1_230, '1.23s'],
    [1_234, '1.234s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [61_500, '1m1.5s'],
    [3_723_000, '1h2m3s'],
  ])('formats %s ms as %s, like OpenAI', (milliseconds, expected) => {
    expect(formatDuration(milliseconds)).toBe(expected);
  });
});

describe('rateLimitHeaders', () => {
  it('reports the most restrictive limit of each unit', () => {
    const decision: Decision = {
      allowed: true,
      retryAfterMs: 0,
      results: [
        result({ name: 'key:rpm', limit: 100, remaining: 40, resetMs: 6_000 }),
        result({ name: 'team:rpm', limit: 1_000, remaining: 12, resetMs: 360_000 }),
        result({ name: 'key:tpm', unit: 'tokens', limit: 90_000, remaining: 89_000, resetMs: 20 }),
        result({ name: 'key:parallel', algorithm: 'concurrency', limit: 5, remaining: 0, resetMs: 0 }),
      ],
    };
    expect(rateLimitHeaders(decision)).toEqual({
      'x-ratelimit-limit-requests': '1000',
      'x-ratelimit-remaining-requests': '12',
      'x-ratelimit-reset-requests': '6m0s',
      'x-ratelimit-limit-tokens': '90000',
      'x-ratelimit-remaining-tokens': '89000',
      'x-ratelimit-reset-tokens': '20ms',
    });
  });

  it('reports the failed limit and retry-after when denied', () => {
    const failed = result({
      name: 'key:tpm',
      unit: 'tokens',
      limit: 1_000,
      remaining: 0,
      resetMs: 30_000,
      allowed: false,
    });
    const decision: Decision = {
      allowed: false,
      retryAfterMs: 2_300,
      failed,
      results: [result({ remaining: 0 }), failed],
    };
    const headers = rateLimitHeaders(decision);
    expect(headers['x-ratelimit-limit-tokens']).toBe('1000');
    expect(headers['x-ratelimit-reset-tokens']).toBe('30s');
    expect(headers['retry-after']).toBe('3');
    expect(headers['retry-after-ms']).toBe('2300');
  });

  it('leaves a concurrency limit that denied the call out of the rate headers', () => {
    const failed = result({
      name: 'key:parallel',
      algorithm: 'concurrency',
      limit: 4,
      remaining: 0,
      resetMs: 0,
      allowed: false,
    });
    const decision: Decision = {
      allowed: false,
      retryAfterMs: 1_000,
      failed,
      results: [result({ name: 'key:rpm', limit: 100, remaining: 40, resetMs: 6_000 }), failed],
    };
    expect(rateLimitHeaders(decision)).toEqual({
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '40',
      'x-ratelimit-reset-requests': '6s',
      'retry-after': '1',
      'retry-after-ms': '1000',
    });
  });

  it('omits headers for a unit no limit counts', () => {
    const headers = rateLimitHeaders({ allowed: true, retryAfterMs: 0, results: [result({})] });
    expect(Object.keys(headers)).toEqual([
      'x-ratelimit-limit-requests',
      'x-ratelimit-remaining-requests',
      'x-ratelimit-reset-requests',
    ]);
  });
});
