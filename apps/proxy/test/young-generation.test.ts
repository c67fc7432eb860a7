import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  defaultYoungGenerationMb,
  growYoungGeneration,
  type YoungGenerationHeap,
  youngGenerationCapBytes,
} from '../src/young-generation.ts';

const childPath = fileURLToPath(new URL('./young-generation-child.ts', import.meta.url));

/** Young-generation sizes (MB) the fixture saw, in a process of its own: V8 flags are process-wide. */
async function sizesWith(env: Record<string, string>, nodeFlags: string[] = []) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeFlags, '--conditions=@gw/source', '--import', 'tsx', childPath],
    { env: { ...process.env, ...env } },
  );
  return JSON.parse(stdout) as { loaded: number; watched: number; burst: number };
}

describe('young generation of the proxy process', () => {
  it('stays at its initial size while loading, grows to the cap when watched, and no further under load', async () => {
    const sizes = await sizesWith({ GW_YOUNG_GENERATION_MB: '8' });
    expect(sizes.loaded).toBeLessThan(8);
    expect(sizes.watched).toBe(8);
    expect(sizes.burst).toBe(8);
  });

  it("grows past the cap with V8's default (GW_YOUNG_GENERATION_MB=0), which is what the cap prevents", async () => {
    const sizes = await sizesWith({ GW_YOUNG_GENERATION_MB: '0' });
    expect(sizes.burst).toBeGreaterThan(8);
  });

  it("leaves an operator's own semi-space flag alone", async () => {
    expect(
      youngGenerationCapBytes(defaultYoungGenerationMb, ['--max-semi-space-size=4'], ''),
    ).toBeUndefined();
    expect(youngGenerationCapBytes(16, [], '--semi_space_growth_factor=4')).toBeUndefined();
    const sizes = await sizesWith({ GW_YOUNG_GENERATION_MB: '8' }, ['--max-semi-space-size=2']);
    expect(sizes.burst).toBe(4);
  });

  it('caps at the default unless told otherwise, and 0 or no number keeps V8 in charge', () => {
    expect(youngGenerationCapBytes(defaultYoungGenerationMb, [], '')).toBe(
      defaultYoungGenerationMb * 1024 * 1024,
    );
    expect(youngGenerationCapBytes(0, [], '')).toBeUndefined();
    expect(youngGenerationCapBytes(Number('lots'), [], '')).toBeUndefined();
  });
});

const megabyte = 1024 * 1024;

/**
 * A stand-in for V8's young generation: each churn resizes it by the growth factor in force, unless the script
 * says V8 shrinks it (as its memory reducer does) or ignores the factor.
 */
function scriptedHeap(startMb: number, churns: readonly ('grow' | 'shrink' | 'stay')[]) {
  let size = startMb * megabyte;
  let factor = 1;
  const factors: number[] = [];
  let churned = 0;
  const heap: YoungGenerationHeap = {
    size: () => size,
    setGrowthFactor(next) {
      factor = next;
      factors.push(next);
    },
    churn() {
      const step = churns[churned++] ?? 'grow';
      if (step === 'grow') size *= factor;
      else if (step === 'shrink') size = Math.max(megabyte, size / 2);
    },
  };
  return { heap, factors, sizeMb: () => size / megabyte };
}

describe('growing the young generation to its cap', () => {
  it('doubles it up to the cap, never past it, and leaves growth frozen', () => {
    const { heap, factors, sizeMb } = scriptedHeap(1, []);
    expect(growYoungGeneration(8 * megabyte, heap)).toBe('at-cap');
    expect(sizeMb()).toBe(8);
    expect(factors).toEqual([2, 2, 2, 1]);
  });

  it('keeps at it while V8 shrinks it back between rounds', () => {
    const { heap, sizeMb } = scriptedHeap(2, ['shrink', 'grow', 'shrink', 'grow', 'shrink', 'grow']);
    expect(growYoungGeneration(8 * megabyte, heap)).toBe('at-cap');
    expect(sizeMb()).toBe(8);
  });

  it('reports short (to try again later), not ignored, when V8 shrank it back every round', () => {
    const { heap, factors } = scriptedHeap(
      2,
      Array.from({ length: 8 }, () => 'shrink' as const),
    );
    expect(growYoungGeneration(8 * megabyte, heap)).toBe('short');
    expect(factors.at(-1)).toBe(1);
  });

  it('reports ignored when V8 never resizes, so growth can go back to V8', () => {
    const { heap, factors } = scriptedHeap(
      2,
      Array.from({ length: 8 }, () => 'stay' as const),
    );
    expect(growYoungGeneration(8 * megabyte, heap)).toBe('ignored');
    expect(factors.at(-1)).toBe(1);
  });

  it('does nothing when it is already over half the cap', () => {
    const { heap, factors } = scriptedHeap(8, []);
    expect(growYoungGeneration(8 * megabyte, heap)).toBe('at-cap');
    expect(factors).toEqual([1]);
  });
});
