import { describe, expect, it } from 'vitest';
import { copyWith } from '../../src/collections/copy-with.ts';

describe('copyWith', () => {
  it('copies the source with the extra keys set, leaving the source as it was', () => {
    const source = { model: 'gpt-4o', stream: false };
    const copy = copyWith(source, { stream: true, stream_options: { include_usage: true } });
    expect(copy).toEqual({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true } });
    expect(copy).not.toBe(source);
    expect(source).toEqual({ model: 'gpt-4o', stream: false });
  });
});
