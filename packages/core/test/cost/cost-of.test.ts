import { describe, expect, it } from 'vitest';
import { costOf, formatCost } from '../../src/cost/cost-of.ts';
import { createPriceTable, defaultPriceTable } from '../../src/cost/price-table.ts';

describe('the shipped price table', () => {
  it('prices current OpenAI and Anthropic models per token', () => {
    const table = defaultPriceTable();
    expect(table.lookup('gpt-4o')).toMatchObject({ inputCostPerToken: 2.5e-6, outputCostPerToken: 10e-6 });
    expect(table.lookup('claude-sonnet-4-5')).toMatchObject({
      inputCostPerToken: 3e-6,
      outputCostPerToken: 15e-6,
    });
  });

  it('matches dated snapshots and provider prefixes to the longest matching model name', () => {
    const table = defaultPriceTable();
    expect(table.lookup('gpt-4o-mini-2024-07-18')).toEqual(table.lookup('gpt-4o-mini'));
    expect(table.lookup('gpt-4o-2024-08-06')).toEqual(table.lookup('gpt-4o'));
    expect(table.lookup('claude-3-5-sonnet-20241022')).toEqual(table.lookup('claude-3-5-sonnet'));
    expect(table.lookup('openai/gpt-4.1-mini')).toEqual(table.lookup('gpt-4.1-mini'));
    expect(table.lookup('gpt-4o')).not.toEqual(table.lookup('gpt-4'));
  });

  it('prices a snapshot, -latest or -preview name as its model, but not a different model sharing its prefix', () => {
    const table = defaultPriceTable();
    expect(table.lookup('gpt-4-0613')).toEqual(table.lookup('gpt-4'));
    expect(table.lookup('mistral-large-latest')).toEqual(table.lookup('mistral-large'));
    expect(table.lookup('gpt-4-turbo-preview')).toEqual(table.lookup('gpt-4-turbo'));
    expect(table.lookup('gemini-2.5-pro-preview-05-06')).toEqual(table.lookup('gemini-2.5-pro'));
    // Each is priced differently from the listed name it starts with (o1-pro is 10x o1).
    for (const other of [
      'o1-pro',
      'o3-pro-2025-06-10',
      'gpt-4-32k',
      'gpt-4o-realtime-preview',
      'grok-4-fast',
    ]) {
      expect(table.lookup(other), other).toBeUndefined();
      expect(costOf(other, { inputTokens: 1000, outputTokens: 1000 }), other).toBeUndefined();
    }
  });

  it('knows nothing of a model it does not list', () => {
    expect(defaultPriceTable().lookup('my-private-finetune')).toBeUndefined();
    expect(costOf('my-private-finetune', { inputTokens: 10, outputTokens: 10 })).toBeUndefined();
  });
});

describe('costOf', () => {
  const table = createPriceTable({ model: { input: 2, output: 8, cached_input: 0.5, cache_write: 2.5 } });

  it('bills input, output, cached and cache-written tokens at their own rates', () => {
    const cost = costOf(
      'model',
      {
        inputTokens: 1_000_000,
        cachedInputTokens: 400_000,
        cacheWriteInputTokens: 100_000,
        outputTokens: 500_000,
      },
      { table },
    );
    // 500k plain * 2 + 400k cached * 0.5 + 100k written * 2.5 + 500k out * 8, per million
    expect(cost).toBeCloseTo(1 + 0.2 + 0.25 + 4, 10);
  });

  it('bills cached tokens at the input rate when the model has no cached price', () => {
    const plain = createPriceTable({ model: { input: 1, output: 1 } });
    expect(
      costOf('model', { inputTokens: 100, cachedInputTokens: 100, outputTokens: 0 }, { table: plain }),
    ).toBeCloseTo(100e-6, 12);
  });

  it('lets a deployment override the table (model_info costs), even for an unknown model', () => {
    expect(
      costOf('model', { inputTokens: 10, outputTokens: 10 }, { table, override: { outputCostPerToken: 1 } }),
    ).toBeCloseTo(10 * 2e-6 + 10, 10);
    expect(
      costOf(
        'unknown',
        { inputTokens: 10, outputTokens: 5 },
        { table, override: { inputCostPerToken: 0.1, outputCostPerToken: 0.2 } },
      ),
    ).toBeCloseTo(2, 10);
  });
});

describe('formatCost', () => {
  it('prints fractions of a cent without exponent or float noise', () => {
    expect(formatCost(0.1 + 0.2)).toBe('0.3');
    expect(formatCost(2.5e-6 * 12)).toBe('0.00003');
    expect(formatCost(0)).toBe('0');
  });
});
