import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/provider-error.ts';
import { openAIProvider } from '../../src/providers/openai-provider.ts';
import type {
  ChatCompletionResponse,
  CompletionResponse,
  EmbeddingResponse,
} from '../../src/types/openai.ts';
import type { ProviderTarget } from '../../src/types/provider.ts';
import {
  assemble,
  callJson,
  callStream,
  expectProviderError,
  withScenario,
} from './support/call-provider.ts';

const SECRET = 'sk-test-secret-0123456789abcdef';
let mock: MockUpstream;
let target: ProviderTarget;
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello there' }] };

beforeAll(async () => {
  mock = await startMockUpstream();
  target = { provider: 'openai', model: 'gpt-4o-mini', apiBase: `${mock.url}/v1`, apiKey: SECRET };
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('openai provider: JSON', () => {
  it('sends the chat request with a bearer key to /v1/chat/completions and returns the completion', async () => {
    const response = (await callJson(openAIProvider, target, {
      ...chat,
      model: 'group-alias',
    })) as ChatCompletionResponse;
    expect(response.choices[0]?.message.content).toBe('The quick brown fox jumps over the lazy dog.');
    expect(response.usage?.completion_tokens).toBe(9);
    const recorded = mock.requests[0]!;
    expect(recorded.path).toBe('/v1/chat/completions');
    expect(recorded.headers.authorization).toBe('[redacted]');
    expect((recorded.body as { model: string }).model).toBe('gpt-4o-mini');
  });

  it('passes cached prompt tokens through in usage', async () => {
    const response = (await callJson(
      openAIProvider,
      withScenario(target, { usage: { promptTokens: 100, cachedTokens: 64 } }),
      chat,
    )) as ChatCompletionResponse;
    expect(response.usage?.prompt_tokens).toBe(100);
    expect(response.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
  });

  it('answers legacy completions and embeddings on their own paths', async () => {
    const completion = (await callJson(
      openAIProvider,
      target,
      { model: 'gpt-4o-mini', prompt: 'Say hi' },
      'completions',
    )) as CompletionResponse;
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text.length).toBeGreaterThan(0);
    const embedding = (await callJson(
      openAIProvider,
      target,
      { model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' },
      'embeddings',
    )) as EmbeddingResponse;
    expect(embedding.data).toHaveLength(2);
    expect(mock.requests.map((entry) => entry.path)).toEqual(['/v1/completions', '/v1/embeddings']);
  });

  it('returns tool calls with their arguments', async () => {
    const response = (await callJson(
      openAIProvider,
      withScenario(target, { toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } }),
      {
        ...chat,
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      },
    )) as ChatCompletionResponse;
    const call = response.choices[0]?.message.tool_calls?.[0];
    expect(call?.function.name).toBe('get_weather');
    expect(JSON.parse(call!.function.arguments)).toEqual({ city: 'Paris' });
    expect(response.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('openai provider: streaming', () => {
  it('asks upstream for usage and decodes chunk by chunk to the full text and usage', async () => {
    const { chunks, decoder, error } = await callStream(openAIProvider, target, chat);
    expect(error).toBeUndefined();
    expect((mock.requests[0]!.body as { stream_options: unknown }).stream_options).toEqual({
      include_usage: true,
    });
    expect(assemble(chunks).text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(decoder.text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(decoder.terminated).toBe(true);
    expect(decoder.usage?.completion_tokens).toBe(9);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(9);
  });

  it('reassembles streamed tool-call argument deltas', async () => {
    const { chunks } = await callStream(
      openAIProvider,
      withScenario(target, { toolCall: { name: 'lookup', arguments: { query: 'gw gateway', limit: 3 } } }),
      chat,
    );
    const assembled = assemble(chunks);
    expect(assembled.tools).toHaveLength(1);
    expect(assembled.tools[0]?.name).toBe('lookup');
    expect(JSON.parse(assembled.tools[0]!.arguments)).toEqual({ query: 'gw gateway', limit: 3 });
    expect(assembled.finishReason).toBe('tool_calls');
  });

  it('skips a malformed chunk, reports it, and keeps the rest', async () => {
    const { chunks, decoder, malformed, error } = await callStream(
      openAIProvider,
      withScenario(target, { malformedChunkAt: 3 }),
      chat,
    );
    expect(error).toBeUndefined();
    expect(malformed).toHaveLength(1);
    expect(decoder.malformedCount).toBe(1);
    expect(assemble(chunks).text).toBe('The quick brown fox jumps over the lazy dog.');
  });

  it('finalises a finished stream that ends without [DONE]', async () => {
    const { chunks, decoder, error } = await callStream(
      openAIProvider,
      withScenario(target, { omitDone: true }),
      chat,
    );
    expect(error).toBeUndefined();
    expect(decoder.terminated).toBe(false);
    expect(assemble(chunks).finishReason).toBe('stop');
  });

  it('fails a stream cut mid-answer instead of ending it cleanly', async () => {
    const { chunks, error } = await callStream(
      openAIProvider,
      withScenario(target, { cutAfterChunks: 3 }),
      chat,
    );
    expect(error).toBeDefined();
    expect(assemble(chunks).finishReason).toBeNull();
  });

  it('surfaces an in-stream error event as a ProviderError', async () => {
    const { error, chunks } = await callStream(
      openAIProvider,
      withScenario(target, { streamError: { afterChunks: 2, message: 'The server had an error' } }),
      chat,
    );
    expect(ProviderError.isProviderError(error)).toBe(true);
    expect((error as ProviderError).errorClass).toBe('upstream_5xx');
    expect(assemble(chunks).text.length).toBeGreaterThan(0);
  });
});

describe('openai provider: errors', () => {
  it('maps 429 with Retry-After to rate_limit with retryAfterMs', async () => {
    const error = await expectProviderError(
      callJson(openAIProvider, withScenario(target, { status: 429, retryAfter: 7 }), chat),
    );
    expect(error.errorClass).toBe('rate_limit');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.status).toBe(429);
    expect(error.upstreamStatus).toBe(429);
    expect(error.isRetryable).toBe(true);
  });

  it.each([
    [{ status: 401 }, 'auth'],
    [{ status: 403 }, 'auth'],
    [{ status: 404 }, 'not_found'],
    [{ status: 400, errorCode: 'context_length_exceeded' }, 'context_window_exceeded'],
    [{ status: 400, errorCode: 'content_policy_violation' }, 'content_policy'],
    [{ status: 400 }, 'bad_request'],
    [{ status: 500 }, 'upstream_5xx'],
    [{ status: 503 }, 'upstream_5xx'],
    [{ status: 504 }, 'timeout'],
  ] as const)('maps %j to %s', async (scenario, errorClass) => {
    const error = await expectProviderError(callJson(openAIProvider, withScenario(target, scenario), chat));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.errorClass).toBe(errorClass);
  });

  it('maps a status on a stream request the same way', async () => {
    const error = await expectProviderError(
      callStream(openAIProvider, withScenario(target, { status: 429, retryAfter: 2 }), chat),
    );
    expect(error.errorClass).toBe('rate_limit');
    expect(error.retryAfterMs).toBe(2000);
  });

  it('never puts the API key into an error message, even when the upstream echoes it', async () => {
    const echoed = `Incorrect API key provided: ${SECRET}. You can find your API key at https://platform.openai.com.`;
    const error = await expectProviderError(
      callJson(openAIProvider, withScenario(target, { status: 401, errorMessage: echoed }), chat),
    );
    expect(error.errorClass).toBe('auth');
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(SECRET);
    expect(error.status).toBe(502);
  });
});
