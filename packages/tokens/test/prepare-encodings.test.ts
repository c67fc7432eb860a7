import { describe, expect, it } from 'vitest';
import { loadedEncodings, prepareEncodings } from '../src/index.ts';

// Each test file runs in a fresh module registry, so nothing has built an encoding before these tests.
describe('prepareEncodings', () => {
  it('builds nothing before it is asked', () => {
    expect(loadedEncodings()).toEqual([]);
  });

  it('builds the encoding of each model and encoding name once, and says which they were', () => {
    const prepared = prepareEncodings(['text-davinci-003', 'code-davinci-002', 'r50k_base']);
    expect(prepared).toEqual(['p50k_base', 'r50k_base']);
    expect(loadedEncodings()).toEqual(['p50k_base', 'r50k_base']);
  });

  it('resolves unknown and non-OpenAI models as counting does', () => {
    expect(prepareEncodings(['claude-sonnet-4-5', 'my-local-llama'])).toEqual(['cl100k_base', 'o200k_base']);
    expect(loadedEncodings()).toEqual(['p50k_base', 'r50k_base', 'cl100k_base', 'o200k_base']);
  });

  it('rejects a name that is not a string, as counting does', () => {
    expect(() => prepareEncodings([42 as unknown as string])).toThrow(/must be a string/);
  });
});
