import { describe, expect, it } from 'vitest';
import { countTokens, DEFAULT_ENCODING, encodingForModel } from '../src/index.ts';

describe('encodingForModel', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-2024-08-06', 'o200k_base'],
    ['gpt-4o-mini', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1-nano-2025-04-14', 'o200k_base'],
    ['gpt-4.5-preview', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['gpt-5-mini-2025-08-07', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o1-preview-2024-09-12', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['o4-mini-2025-04-16', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-0613', 'cl100k_base'],
    ['gpt-4-turbo-2024-04-09', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo-0301', 'cl100k_base'],
    ['gpt-35-turbo', 'cl100k_base'],
    ['gpt-35-turbo-0301', 'cl100k_base'],
    ['gpt-35-turbo-16k', 'cl100k_base'],
    ['gpt-35-turbo-instruct', 'cl100k_base'],
    ['azure/gpt-35-turbo-0125', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['text-embedding-ada-002', 'cl100k_base'],
    ['davinci-002', 'cl100k_base'],
    ['babbage-002', 'cl100k_base'],
    ['text-davinci-003', 'p50k_base'],
    ['code-davinci-002', 'p50k_base'],
    ['davinci', 'r50k_base'],
    ['text-curie-001', 'r50k_base'],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc123', 'o200k_base'],
    ['ft:gpt-3.5-turbo-0125:acme:custom:xyz', 'cl100k_base'],
    ['ft:davinci-002:acme::id', 'cl100k_base'],
    ['openai/gpt-4o', 'o200k_base'],
    ['azure/gpt-35-turbo', 'cl100k_base'],
    ['OpenAI/GPT-4', 'cl100k_base'],
  ])('maps %s to %s exactly', (model, encoding) => {
    expect(encodingForModel(model)).toMatchObject({ encoding, estimated: false });
  });

  it('accepts encoding names', () => {
    expect(encodingForModel('p50k_base')).toMatchObject({ encoding: 'p50k_base', estimated: false });
  });

  it('falls back to the default encoding for unknown models and says it is an estimate', () => {
    expect(encodingForModel('azure/my-deploy')).toEqual({
      encoding: DEFAULT_ENCODING,
      estimated: true,
      model: 'my-deploy',
      family: 'other',
    });
    expect(encodingForModel('')).toMatchObject({ encoding: DEFAULT_ENCODING, estimated: true });
  });

  it('marks Anthropic models as estimates', () => {
    expect(encodingForModel('claude-3-5-sonnet-20241022')).toMatchObject({
      estimated: true,
      family: 'anthropic',
    });
    expect(encodingForModel('anthropic/claude-sonnet-4')).toMatchObject({
      estimated: true,
      family: 'anthropic',
    });
  });

  it('counts text for unknown and non-OpenAI models without throwing', () => {
    expect(countTokens('hello there, general Kenobi', 'mistral-large-latest')).toBeGreaterThan(0);
    expect(countTokens('hello there, general Kenobi', 'claude-3-haiku')).toBeGreaterThan(0);
  });
});

describe('the Anthropic estimate', () => {
  it("stays within 12% of Anthropic's published tokenizer on mixed text", async () => {
    const { countTokens: anthropicCount } = await import('@anthropic-ai/tokenizer');
    const { codeCorpus, multilingualCorpus, proseCorpus } = await import('./support/corpus.ts');
    for (const text of [proseCorpus(5000, 21), codeCorpus(5000, 22), multilingualCorpus(5000, 23)]) {
      const reference = anthropicCount(text);
      const estimate = countTokens(text, 'claude-sonnet-4-20250514');
      expect(Math.abs(estimate - reference) / reference).toBeLessThan(0.12);
    }
  });
});
