import { describe, expect, it } from 'vitest';
import { createTokenEstimator, estimatePromptTokens } from '../src/token-estimator.ts';

describe('token estimators', () => {
  it('estimates prompt tokens at four characters a token, skipping images', () => {
    const request = {
      messages: [
        { role: 'user', content: 'x'.repeat(40) },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:${'A'.repeat(10_000)}` } }] },
      ],
    };
    // 'user' twice, 40 x's and 'image_url' as the type name.
    expect(estimatePromptTokens(request)).toBe(Math.ceil((4 + 40 + 4 + 9) / 4));
  });

  it('adds max_tokens (or max_completion_tokens) to the prompt count', () => {
    const estimate = createTokenEstimator({ countPromptTokens: () => 50 });
    expect(estimate({ max_tokens: 200 })).toBe(250);
    expect(estimate({ max_completion_tokens: 300, max_tokens: 200 })).toBe(350);
  });

  it('falls back to a per-model default, then to the global default', () => {
    const estimate = createTokenEstimator({
      countPromptTokens: () => 10,
      outputTokensByModel: { 'gpt-4o-mini': 500 },
      defaultOutputTokens: 64,
    });
    expect(estimate({ model: 'gpt-4o-mini' })).toBe(510);
    expect(estimate({ model: 'other', max_tokens: null })).toBe(74);
  });
});
