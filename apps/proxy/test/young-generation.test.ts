import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultYoungGenerationMb, youngGenerationCapBytes } from '../src/young-generation.ts';

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
