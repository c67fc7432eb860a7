import { describe, expect, it } from 'vitest';
import { defaultHeapGrowingPercent, heapGrowthFlag } from '../src/heap-growth.ts';

describe('heap growth of the proxy process', () => {
  it('sets the proxy default when the process brought no setting of its own', () => {
    expect(heapGrowthFlag(defaultHeapGrowingPercent, ['--enable-source-maps'], '')).toBe(
      '--heap-growing-percent=20',
    );
  });

  it("leaves an operator's own setting alone, from node flags or NODE_OPTIONS", () => {
    expect(heapGrowthFlag(20, ['--heap-growing-percent=50'], '')).toBeUndefined();
    expect(heapGrowthFlag(20, [], '--max-old-space-size=512 --heap_growing_percent=10')).toBeUndefined();
  });

  it("keeps V8's default when asked for 0 or given no number", () => {
    expect(heapGrowthFlag(0, [], '')).toBeUndefined();
    expect(heapGrowthFlag(Number('not a number'), [], '')).toBeUndefined();
  });
});
