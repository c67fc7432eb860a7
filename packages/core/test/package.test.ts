import { describe, expect, it } from 'vitest';
import { packageName } from '../src/index.ts';

describe('@gw/core', () => {
  it('exports its name', () => {
    expect(packageName).toBe('@gw/core');
  });
});
