import { describe, expect, it } from 'vitest';
import {
  isModelPattern,
  matchModelPattern,
  patternCapture,
  upstreamModelName,
} from '../../src/config/wildcard-model.ts';

describe('wildcard model patterns', () => {
  it('captures what the star stands for, or nothing when the pattern does not match', () => {
    expect(patternCapture('openai/*', 'openai/gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(patternCapture('claude-*-latest', 'claude-3-5-sonnet-latest')).toBe('3-5-sonnet');
    expect(patternCapture('*', 'anything/at-all')).toBe('anything/at-all');
    expect(patternCapture('openai/*', 'anthropic/claude')).toBeUndefined();
    expect(patternCapture('ab*ba', 'aba')).toBeUndefined();
    expect(isModelPattern('openai/*')).toBe(true);
    expect(isModelPattern('gpt-4o')).toBe(false);
  });

  it('picks the most specific matching pattern, then the first configured', () => {
    const patterns = ['*', 'openai/*', 'openai/gpt-4o*', 'openai/o*'];
    expect(matchModelPattern(patterns, 'openai/gpt-4o-mini')).toBe('openai/gpt-4o*');
    expect(matchModelPattern(patterns, 'openai/o3')).toBe('openai/o*');
    expect(matchModelPattern(patterns, 'openai/dall-e-3')).toBe('openai/*');
    expect(matchModelPattern(patterns, 'mistral/large')).toBe('*');
    expect(matchModelPattern(['openai/*'], 'mistral/large')).toBeUndefined();
    expect(matchModelPattern(['a*', '*b'], 'ab')).toBe('a*');
  });

  it("puts the match into the deployment's model, and leaves a model without a star alone", () => {
    expect(upstreamModelName('*', 'openai/*', 'openai/gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(upstreamModelName('claude-*', 'claude-*', 'claude-sonnet-4-5')).toBe('claude-sonnet-4-5');
    expect(upstreamModelName('gpt-4o', 'gpt-*', 'gpt-5')).toBe('gpt-4o');
    expect(upstreamModelName('*', 'openai/*', undefined)).toBe('*');
  });
});
