import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../src/errors/scrub-secrets.ts';
import { createAnthropicStreamDecoder } from '../../src/stream/anthropic-stream-decoder.ts';
import { createOpenAIStreamDecoder } from '../../src/stream/openai-stream-decoder.ts';

const target = { provider: 'openai', model: 'm', apiBase: '' };

describe('chunks in the wrong shape', () => {
  it('skips and reports valid JSON that is not a chunk, keeping the good ones', () => {
    const reported: string[] = [];
    const decoder = createOpenAIStreamDecoder(target, { onMalformed: (raw) => reported.push(raw) });
    const good =
      '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}';
    const chunks = decoder.push(
      `data: [1,2]\n\ndata: {"choices":"nope"}\n\ndata: ${good}\n\ndata: {oops\n\ndata: [DONE]\n\n`,
    );
    expect(chunks).toHaveLength(1);
    expect(decoder.malformedCount).toBe(3);
    expect(reported.sort()).toEqual(['[1,2]', '{"choices":"nope"}', '{oops']);
  });

  it('passes over Azure prompt_filter_results chunks without reporting them', () => {
    const decoder = createOpenAIStreamDecoder(target);
    expect(
      decoder.push(
        'data: {"choices":[],"prompt_filter_results":[]}\n\ndata: {"prompt_filter_results":[]}\n\n',
      ),
    ).toEqual([]);
    expect(decoder.malformedCount).toBe(0);
  });

  it('reports an Anthropic event without a type', () => {
    const decoder = createAnthropicStreamDecoder({ ...target, provider: 'anthropic' });
    decoder.push('event: content_block_delta\ndata: {"index":0}\n\n');
    expect(decoder.malformedCount).toBe(1);
  });
});

describe('scrubSecrets', () => {
  it('removes the given secret, sk- keys and bearer tokens, and leaves ordinary text', () => {
    expect(scrubSecrets('key abc-secret-value here', ['abc-secret-value'])).toBe('key [redacted] here');
    expect(scrubSecrets('Incorrect API key provided: sk-proj-AbC123xyz789.')).toBe(
      'Incorrect API key provided: [redacted].',
    );
    expect(scrubSecrets('Authorization: Bearer eyJhbGciOi.payload.sig')).toBe('Authorization: [redacted]');
    expect(scrubSecrets('api_key=0123456789abcdef')).toBe('api_key=[redacted]');
    expect(scrubSecrets('x-api-key header is required')).toBe('x-api-key header is required');
  });
});
