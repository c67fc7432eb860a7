import { GwError } from '@gw/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { countTokens, countTokensBatch, createTokenizerPool } from '../src/index.ts';
import { splitAtSafeBoundaries } from '../src/safe-split.ts';
import { codeCorpus, multilingualCorpus, proseCorpus } from './support/corpus.ts';

// Two pools for the whole file: booting workers from TypeScript sources is the slow part of these tests.
const pool = createTokenizerPool({ threads: 2 });
const limited = createTokenizerPool({ threads: 1, maxQueue: 1 });
afterAll(() => Promise.all([pool.close(), limited.close()]));

describe('safe split points', () => {
  it('cuts a text into parts whose counts sum to the whole count in every encoding', () => {
    const text = `${proseCorpus(60_000)}\n${codeCorpus(60_000)}\n${multilingualCorpus(30_000)}`;
    const parts = splitAtSafeBoundaries(text, 16, 2048);
    expect(parts.length).toBeGreaterThan(8);
    expect(parts.join('')).toBe(text);
    for (const encoding of ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base']) {
      const sum = parts.reduce((total, part) => total + countTokens(part, encoding), 0);
      expect(sum).toBe(countTokens(text, encoding));
    }
  });
});

describe('createTokenizerPool', () => {
  it('counts a large text on workers exactly as in-process counting does', async () => {
    const text = proseCorpus(700_000) + codeCorpus(300_000);
    expect(await pool.count(text, 'gpt-4o')).toBe(countTokens(text, 'gpt-4o'));
  });

  it('counts a batch of documents exactly', async () => {
    const texts = [proseCorpus(30_000, 7), codeCorpus(90_000, 8), '', multilingualCorpus(20_000, 9), 'short'];
    expect(await pool.countBatch(texts, 'gpt-4')).toEqual(countTokensBatch(texts, 'gpt-4'));
  });

  it('rejects bad input with a typed error', async () => {
    await expect(pool.count(5 as unknown as string, 'gpt-4o')).rejects.toSatisfy((error) =>
      GwError.hasCode(error, 'GW_ERR_TOKENS_INVALID_INPUT'),
    );
  });

  it('refuses work beyond its queue with a retryable error', async () => {
    const texts = Array.from({ length: 4 }, (_, index) => proseCorpus(70_000, index));
    // Four jobs: two go to the worker, one waits, the fourth finds the queue full.
    const results = await Promise.allSettled(texts.map((text) => limited.count(text, 'gpt-4o')));
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const result of refused) {
      expect(GwError.hasCode(result.reason, 'GW_ERR_TOKENS_POOL_BUSY')).toBe(true);
      expect((result.reason as GwError).isRetryable).toBe(true);
    }
    const accepted = results.filter((result) => result.status === 'fulfilled');
    expect(accepted.length).toBeGreaterThan(0);
  });

  it('finishes accepted work on close, then refuses new calls', async () => {
    const closing = limited;
    const text = proseCorpus(50_000, 3);
    const pending = closing.count(text, 'gpt-4o');
    await closing.close();
    expect(await pending).toBe(countTokens(text, 'gpt-4o'));
    await expect(closing.count('hi', 'gpt-4o')).rejects.toSatisfy((error) =>
      GwError.hasCode(error, 'GW_ERR_TOKENS_POOL_CLOSED'),
    );
  });
});
