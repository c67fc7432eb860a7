import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MOCK_RESPONSE, mockProvider } from '../../src/providers/mock-provider.ts';
import { openAICompatibleProvider } from '../../src/providers/openai-provider.ts';
import {
  createProviderRegistry,
  getProvider,
  providerNames,
  registerProvider,
} from '../../src/providers/provider-registry.ts';
import type {
  ChatCompletionResponse,
  CompletionResponse,
  EmbeddingResponse,
} from '../../src/types/openai.ts';
import type { Provider, ProviderTarget } from '../../src/types/provider.ts';
import {
  assemble,
  callJson,
  callStream,
  expectProviderError,
  withScenario,
} from './support/call-provider.ts';

let mock: MockUpstream;
const chat = { model: 'llama', messages: [{ role: 'user' as const, content: 'one two three' }] };

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('openai-compatible provider', () => {
  it('calls any base URL with its path prefix (vLLM, Ollama style)', async () => {
    const target: ProviderTarget = {
      provider: 'openai-compatible',
      model: 'meta-llama/Llama-3-8b',
      apiBase: `${mock.url}/v1/`,
      apiKey: 'k-123456789',
    };
    const response = (await callJson(openAICompatibleProvider, target, chat)) as ChatCompletionResponse;
    expect(response.choices[0]?.message.content).toContain('fox');
    expect(mock.requests[0]!.path).toBe('/v1/chat/completions');
    expect((mock.requests[0]!.body as { model: string }).model).toBe('meta-llama/Llama-3-8b');
  });

  it('resolves LiteLLM prefixes to their public base when there is no api_base', () => {
    const cases: [string, string, string][] = [
      ['groq/llama-3.1-8b-instant', 'https://api.groq.com', '/openai/v1/chat/completions'],
      ['together_ai/meta-llama/Llama-3-70b', 'https://api.together.xyz', '/v1/chat/completions'],
      ['mistral/mistral-small', 'https://api.mistral.ai', '/v1/chat/completions'],
      ['deepseek/deepseek-chat', 'https://api.deepseek.com', '/v1/chat/completions'],
      ['openrouter/anthropic/claude-3.5', 'https://openrouter.ai', '/api/v1/chat/completions'],
      ['ollama/llama3', 'http://localhost:11434', '/v1/chat/completions'],
    ];
    for (const [model, origin, path] of cases) {
      const built = openAICompatibleProvider.buildRequest('chat', chat, {
        provider: 'openai-compatible',
        model,
        apiBase: '',
      });
      expect([built.origin, built.path]).toEqual([origin, path]);
      expect(JSON.parse(built.body!).model).toBe(model.slice(model.indexOf('/') + 1));
    }
  });

  it('fails clearly when a hosted_vllm deployment has no api_base', () => {
    expect(() =>
      openAICompatibleProvider.buildRequest('chat', chat, {
        provider: 'openai-compatible',
        model: 'hosted_vllm/x',
        apiBase: '',
      }),
    ).toThrow(/api_base/);
  });

  it('omits the authorization header when no key is configured (local servers)', () => {
    const built = openAICompatibleProvider.buildRequest('chat', chat, {
      provider: 'openai-compatible',
      model: 'x',
      apiBase: mock.url,
    });
    expect(built.headers.authorization).toBeUndefined();
  });

  it('maps the upstream faults like openai', async () => {
    const target: ProviderTarget = {
      provider: 'openai-compatible',
      model: 'x',
      apiBase: `${mock.url}/v1`,
      apiKey: 'k-123456789',
    };
    const error = await expectProviderError(
      callJson(openAICompatibleProvider, withScenario(target, { status: 503 }), chat),
    );
    expect(error.errorClass).toBe('upstream_5xx');
  });
});

describe('mock provider (in-process)', () => {
  const target: ProviderTarget = { provider: 'mock', model: 'demo', apiBase: '' };

  it('answers deterministically without the network', async () => {
    const first = (await callJson(mockProvider, target, chat)) as ChatCompletionResponse;
    const second = (await callJson(mockProvider, target, chat)) as ChatCompletionResponse;
    expect(first).toEqual(second);
    expect(first.choices[0]?.message.content).toBe(DEFAULT_MOCK_RESPONSE);
    expect(first.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 7 });
    expect(mock.requests).toHaveLength(0);
  });

  it('streams mock_response through the same decoder as a real upstream, with usage when asked', async () => {
    const built = mockProvider.buildRequest(
      'chat',
      { ...chat, stream: true },
      { ...target, mockResponse: 'Hello from the demo' },
    );
    const response = await mockProvider.fetch!(built, { ...target, mockResponse: 'Hello from the demo' });
    const decoder = mockProvider.createStreamDecoder(target);
    const chunks = [];
    for await (const bytes of response.body) chunks.push(...decoder.push(bytes));
    chunks.push(...decoder.end());
    expect(assemble(chunks).text).toBe('Hello from the demo');
    expect(decoder.terminated).toBe(true);
    expect(decoder.usage?.completion_tokens).toBe(4);
  });

  it('answers completions and embeddings', async () => {
    const completion = (await callJson(
      mockProvider,
      target,
      { model: 'demo', prompt: 'hi' },
      'completions',
    )) as CompletionResponse;
    expect(completion.choices[0]?.text).toBe(DEFAULT_MOCK_RESPONSE);
    const embedding = (await callJson(
      mockProvider,
      target,
      { model: 'demo', input: ['a', 'b'] },
      'embeddings',
    )) as EmbeddingResponse;
    expect(embedding.data.map((item) => item.index)).toEqual([0, 1]);
    expect(embedding.data[0]?.embedding).not.toEqual(embedding.data[1]?.embedding);
    const { chunks } = await callStream(mockProvider, target, { model: 'demo', prompt: 'hi' }, 'completions');
    expect(
      chunks.map((chunk) => (chunk.choices[0] as unknown as { text?: string })?.text ?? '').join(''),
    ).toBe(DEFAULT_MOCK_RESPONSE);
  });
});

describe('provider registry', () => {
  it('has the built-ins and lets a user register their own', () => {
    expect(providerNames()).toEqual(
      expect.arrayContaining(['openai', 'azure', 'anthropic', 'openai-compatible', 'mock']),
    );
    const custom: Provider = { ...openAICompatibleProvider, name: 'my-llm' };
    registerProvider(custom);
    expect(getProvider('my-llm')).toBe(custom);
    expect(getProvider('nope')).toBeUndefined();
  });

  it('keeps separate registries apart', () => {
    const registry = createProviderRegistry([]);
    expect(registry.get('openai')).toBeUndefined();
    registry.register(mockProvider);
    expect(registry.names()).toEqual(['mock']);
  });
});

describe('mock provider errors (LiteLLM mock_response values)', () => {
  it.each([
    ['litellm.RateLimitError', 'rate_limit'],
    ['litellm.InternalServerError', 'upstream_5xx'],
    ['litellm.ContextWindowExceededError', 'context_window_exceeded'],
    ['litellm.ContentPolicyViolationError', 'content_policy'],
    ['Exception: boom', 'upstream_5xx'],
  ])('%s answers like a failing upstream (%s)', async (mockResponse, errorClass) => {
    const error = await expectProviderError(
      callJson(mockProvider, { provider: 'mock', model: 'demo', apiBase: '', mockResponse }, chat),
    );
    expect(error.errorClass).toBe(errorClass);
    if (errorClass === 'rate_limit') expect(error.retryAfterMs).toBe(1000);
  });
});
