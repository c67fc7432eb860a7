import { GwError } from '@gw/errors';
import { describe, expect, it } from 'vitest';
import {
  type ChatMessage,
  countMessages,
  countTokens,
  countTokensBatch,
  decode,
  encode,
  getTokenizer,
  TokensError,
} from '../src/index.ts';

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('bad input', () => {
  it.each([123, null, undefined, { text: 'x' }, ['a']])(
    'rejects a non-string text (%j) with a typed error',
    (value) => {
      const error = errorOf(() => countTokens(value as unknown as string, 'gpt-4o'));
      expect(error).toBeInstanceOf(TokensError);
      expect(GwError.hasCode(error, 'GW_ERR_TOKENS_INVALID_INPUT')).toBe(true);
      expect((error as TokensError).status).toBe(400);
    },
  );

  it('rejects a non-string model name with a typed error', () => {
    expect(
      GwError.hasCode(
        errorOf(() => countTokens('hi', 42 as unknown as string)),
        'GW_ERR_TOKENS_INVALID_INPUT',
      ),
    ).toBe(true);
  });

  it('rejects malformed messages with a typed error naming the field', () => {
    const error = errorOf(() => countMessages([{ content: 'no role' } as unknown as ChatMessage], 'gpt-4o'));
    expect(GwError.hasCode(error, 'GW_ERR_TOKENS_INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toContain('messages[0].role');
    expect(
      GwError.hasCode(
        errorOf(() => countMessages('hi' as unknown as ChatMessage[], 'gpt-4o')),
        'GW_ERR_TOKENS_INVALID_INPUT',
      ),
    ).toBe(true);
  });

  it('rejects a malformed legacy function_call or functions list with a typed error naming the field', () => {
    const call = errorOf(() =>
      countMessages([{ role: 'assistant', function_call: 'add' } as unknown as ChatMessage], 'gpt-4o'),
    );
    expect(GwError.hasCode(call, 'GW_ERR_TOKENS_INVALID_INPUT')).toBe(true);
    expect((call as Error).message).toContain('messages[0].function_call');
    const list = errorOf(() => countMessages([], 'gpt-4o', { functions: {} as unknown as [] }));
    expect((list as Error).message).toContain('functions must be an array');
    const unnamed = errorOf(() =>
      countMessages([], 'gpt-4o', { functions: [{ description: 'x' } as unknown as { name: string }] }),
    );
    expect(GwError.hasCode(unnamed, 'GW_ERR_TOKENS_INVALID_INPUT')).toBe(true);
    expect((unnamed as Error).message).toContain('functions[0].name');
  });

  it('rejects unknown token ids in decode', () => {
    expect(
      GwError.hasCode(
        errorOf(() => decode([1, 99_999_999], 'cl100k_base')),
        'GW_ERR_TOKENS_INVALID_INPUT',
      ),
    ).toBe(true);
    expect(
      GwError.hasCode(
        errorOf(() => decode([-1], 'cl100k_base')),
        'GW_ERR_TOKENS_INVALID_INPUT',
      ),
    ).toBe(true);
  });

  it('rejects a non-string inside a batch', () => {
    const error = errorOf(() => countTokensBatch(['ok', 5 as unknown as string], 'gpt-4o'));
    expect((error as Error).message).toContain('texts[1]');
  });

  it('counts special-token text as ordinary text instead of throwing', () => {
    expect(encode('<|endoftext|>', 'cl100k_base')).toEqual([27, 91, 8862, 728, 428, 91, 29]);
    expect(countTokens('<|endoftext|><|endofprompt|>', 'gpt-4o')).toBeGreaterThan(2);
  });

  it('counts the empty string as zero tokens', () => {
    expect(countTokens('', 'gpt-4o')).toBe(0);
    expect(encode('', 'cl100k_base')).toEqual([]);
  });
});

describe('round trips and batches', () => {
  it('decodes what it encodes, including special tokens by id', () => {
    const text = 'Grüße 🌍 — naïve café\n\tcode();';
    for (const name of ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base']) {
      expect(decode(encode(text, name), name)).toBe(text);
    }
    expect(decode([100257], 'cl100k_base')).toBe('<|endoftext|>');
  });

  it('counts a batch like counting each text', () => {
    const texts = ['one', 'two words', '', 'ünïcödé text'];
    expect(countTokensBatch(texts, 'gpt-4o')).toEqual(texts.map((text) => countTokens(text, 'gpt-4o')));
  });

  it('returns one tokenizer per encoding for the whole process', () => {
    expect(getTokenizer('gpt-4o')).toBe(getTokenizer('o200k_base'));
    expect(getTokenizer('gpt-4o').encoding).toBe('o200k_base');
    expect(getTokenizer('gpt-4').count('hello world')).toBe(2);
  });
});
