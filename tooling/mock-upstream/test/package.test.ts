import { describe, expect, it } from 'vitest';
import { packageName } from '../src/index.ts';

describe('@gw/mock-upstream', () => {
  it('exports its name', () => {
    expect(packageName).toBe('@gw/mock-upstream');
  });
});
