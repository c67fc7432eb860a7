import { describe, expect, it } from 'vitest';
import { createThrottledWarning } from '../../src/logging/throttled-warning.ts';

function recorder() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    warn: (fields: Record<string, unknown>, message: string) => void lines.push({ fields, message }),
  };
  return { lines, logger };
}

describe('createThrottledWarning', () => {
  it('logs the first failure at once and at most one line an interval after, counting the ones in between', () => {
    let now = 1_000;
    const { lines, logger } = recorder();
    const warn = createThrottledWarning(logger, 'store failed', { intervalMs: 60_000, clock: () => now });
    warn(new Error('ECONNREFUSED'), { policy: 'fail-open' });
    // Redis down: the breaker store fails every 250 ms for a minute.
    for (let tick = 1; tick < 240; tick++) {
      now += 250;
      warn(new Error('ECONNREFUSED'));
    }
    expect(lines).toEqual([
      { fields: { policy: 'fail-open', err: 'ECONNREFUSED' }, message: 'store failed' },
    ]);
    now += 250;
    warn(new Error('ETIMEDOUT'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({ fields: { err: 'ETIMEDOUT', repeated: 239 }, message: 'store failed' });
  });

  it('logs a failure after a quiet interval without a repeat count', () => {
    let now = 0;
    const { lines, logger } = recorder();
    const warn = createThrottledWarning(logger, 'store failed', { intervalMs: 1_000, clock: () => now });
    warn('first');
    now = 5_000;
    warn('second');
    expect(lines.map((line) => line.fields)).toEqual([{ err: 'first' }, { err: 'second' }]);
  });
});
