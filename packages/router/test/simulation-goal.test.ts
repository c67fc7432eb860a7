import { describe, expect, it } from 'vitest';
import { simulate } from '../bench/simulation.ts';

// The bench's virtual-clock simulation, shortened: a slow, a flaky and a temporarily dead deployment next to a
// steady one. Latencies are virtual milliseconds, so this asserts routing quality, not machine speed.
describe('failure simulation (virtual time)', () => {
  it('p2c-peak-ewma has a lower p99 than simple-shuffle and least-busy, and no request fails', async () => {
    const seconds = 120;
    const p2c = await simulate('p2c-peak-ewma', 3, seconds);
    const shuffle = await simulate('simple-shuffle', 3, seconds);
    const leastBusy = await simulate('least-busy', 3, seconds);
    expect(p2c.errorRate).toBe(0);
    expect(shuffle.errorRate).toBe(0);
    expect(leastBusy.errorRate).toBe(0);
    expect(p2c.p99Ms).toBeLessThan(shuffle.p99Ms);
    expect(p2c.p99Ms).toBeLessThan(leastBusy.p99Ms);
    expect(p2c.share.slow).toBeLessThan(shuffle.share.slow as number);
  });
});
