import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/provider-error.ts';
import {
  ANTHROPIC_VERSION,
  anthropicProvider,
  createAnthropicProvider,
} from '../../src/providers/anthropic-provider.ts';
import type { AnthropicMessagesRequest } from '../../src/types/anthropic.ts';
import type { ChatCompletionRequest, ChatCompletionResponse } from '../../src/types/openai.ts';
import type { ProviderTarget } from '../../src/types/provider.ts';
import {
  assemble,
  callJson,
  callStream,
  expectProviderError,
  withScenario,
} from './support/call-provider.ts';

const KEY = 'sk-ant-api03-secret-key-0123456789';
let mock: MockUpstream;
let target: ProviderTarget;
const chat: ChatCompletionRequest = { model: 'claude', messages: [{ role: 'user', content: 'Hello' }] };
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAX+XDSwAAAABJRU5ErkJggg==';

beforeAll(async () => {
  mock = await startMockUpstream();
  target = { provider: 'anthropic', model: 'claude-sonnet-4-5', apiBase: mock.url, apiKey: KEY };
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function sentBody(): AnthropicMessagesRequest {
  return mock.requests[0]!.body as AnthropicMessagesRequest;
}

describe('anthropic provider: request translation', () => {
  it('posts to /v1/messages with x-api-key, anthropic-version and a default max_tokens', async () => {
    await callJson(anthropicProvider, target, chat);
    const recorded = mock.requests[0]!;
    expect(recorded.path).toBe('/v1/messages');
    expect(recorded.dialect).toBe('anthropic');
    expect(recorded.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(recorded.headers['x-api-key']).toBe('[redacted]');
    expect(sentBody()).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 4096,
    });
  });

  it('accepts api_base given as .../v1', async () => {
    await callJson(anthropicProvider, { ...target, apiBase: `${mock.url}/v1` }, chat);
    expect(mock.requests[0]!.path).toBe('/v1/messages');
  });

  it('moves system messages out, converts images, tools, tool results, tool_choice and stop', async () => {
    await callJson(anthropicProvider, target, {
      model: 'claude',
      max_tokens: 300,
      stop: 'END',
      temperature: 0.5,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'Answer in French.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'lookup', description: 'Search', parameters: { type: 'object' } },
        },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    const body = sentBody();
    expect(body.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    expect(body.max_tokens).toBe(300);
    expect(body.stop_sequences).toEqual(['END']);
    expect(body.temperature).toBe(0.5);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'cat' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'a cat' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
    expect(body.tools).toEqual([{ name: 'lookup', description: 'Search', input_schema: { type: 'object' } }]);
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it('sends a PDF file part as a document block', async () => {
    await callJson(anthropicProvider, target, {
      model: 'claude',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise.' },
            {
              type: 'file',
              file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQK' },
            },
          ],
        },
      ],
    });
    expect(sentBody().messages[0]!.content).toEqual([
      { type: 'text', text: 'Summarise.' },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' } },
    ]);
  });

  it('refuses with a 400 naming the part content Anthropic cannot read (audio, an OpenAI file_id), never dropping it unseen', () => {
    const withPart = (part: unknown): ChatCompletionRequest =>
      ({
        model: 'claude',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Listen.' }, part] }],
      }) as ChatCompletionRequest;
    const refusal = (part: unknown) => {
      try {
        anthropicProvider.buildRequest('chat', withPart(part), target);
      } catch (error) {
        return error as { status: number; param: string };
      }
      throw new Error('expected a refusal');
    };
    expect(refusal({ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } })).toMatchObject({
      status: 400,
      param: 'messages[0].content[1].type',
    });
    expect(refusal({ type: 'file', file: { file_id: 'file-abc123' } })).toMatchObject({
      status: 400,
      param: 'messages[0].content[1].file',
    });
  });

  it('rejects an unsupported parameter with a 400 naming it, or drops it with drop_params', async () => {
    const withSeed = { ...chat, seed: 42, logit_bias: { '50256': -100 } };
    expect(() => anthropicProvider.buildRequest('chat', withSeed, target)).toThrow(/'seed' is not supported/);
    try {
      anthropicProvider.buildRequest('chat', withSeed, target);
    } catch (error) {
      expect((error as { status: number }).status).toBe(400);
      expect((error as { param: string }).param).toBe('seed');
    }
    const built = anthropicProvider.buildRequest('chat', withSeed, { ...target, dropParams: true });
    expect(JSON.parse(built.body!)).not.toHaveProperty('seed');
    expect(JSON.parse(built.body!)).not.toHaveProperty('logit_bias');
  });
});

describe('anthropic provider: responses', () => {
  it('translates text, stop reason and usage including cache reads', async () => {
    const response = (await callJson(
      anthropicProvider,
      withScenario(target, {
        usage: { promptTokens: 50, completionTokens: 9, cachedTokens: 30, cacheCreationTokens: 5 },
      }),
      chat,
    )) as ChatCompletionResponse;
    expect(response.object).toBe('chat.completion');
    expect(response.choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'The quick brown fox jumps over the lazy dog.',
    });
    expect(response.choices[0]?.finish_reason).toBe('stop');
    expect(response.usage).toMatchObject({
      prompt_tokens: 85,
      completion_tokens: 9,
      total_tokens: 94,
      prompt_tokens_details: { cached_tokens: 30 },
      cache_creation_input_tokens: 5,
    });
  });

  it('maps max_tokens to length and stop_sequence to stop', async () => {
    const cut = (await callJson(anthropicProvider, target, {
      ...chat,
      max_tokens: 3,
    })) as ChatCompletionResponse;
    expect(cut.choices[0]?.finish_reason).toBe('length');
    const stopped = (await callJson(anthropicProvider, target, {
      ...chat,
      stop: ['fox'],
    })) as ChatCompletionResponse;
    expect(stopped.choices[0]?.finish_reason).toBe('stop');
  });

  it('translates a tool_use answer into tool_calls', async () => {
    const response = (await callJson(
      anthropicProvider,
      withScenario(target, { toolCall: { name: 'get_weather', arguments: { city: 'Oslo' }, id: 'toolu_1' } }),
      chat,
    )) as ChatCompletionResponse;
    const message = response.choices[0]!.message;
    expect(message.tool_calls).toEqual([
      { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);
    expect(response.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('anthropic provider: streaming', () => {
  it('decodes message events into canonical chunks with usage and the terminator', async () => {
    const { chunks, decoder, error } = await callStream(
      anthropicProvider,
      withScenario(target, { usage: { promptTokens: 20, cachedTokens: 8 } }),
      chat,
    );
    expect(error).toBeUndefined();
    const assembled = assemble(chunks);
    expect(assembled.text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(assembled.finishReason).toBe('stop');
    expect(decoder.terminated).toBe(true);
    expect(decoder.usage).toMatchObject({
      prompt_tokens: 28,
      completion_tokens: 9,
      prompt_tokens_details: { cached_tokens: 8 },
    });
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
  });

  it('turns input_json_delta into streamed tool-call argument deltas', async () => {
    const { chunks } = await callStream(
      anthropicProvider,
      withScenario(target, {
        toolCall: { name: 'search', arguments: { query: 'streamed args', page: 2 }, id: 'toolu_9' },
      }),
      chat,
    );
    const assembled = assemble(chunks);
    expect(assembled.tools).toEqual([
      { id: 'toolu_9', name: 'search', arguments: '{"query":"streamed args","page":2}' },
    ]);
    expect(assembled.finishReason).toBe('tool_calls');
    const argumentDeltas = chunks.filter(
      (chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments,
    );
    expect(argumentDeltas.length).toBeGreaterThan(1);
  });

  it('surfaces an in-stream overloaded error as upstream_5xx after the text before it', async () => {
    const { chunks, error } = await callStream(
      anthropicProvider,
      withScenario(target, { streamError: { afterChunks: 2 } }),
      chat,
    );
    expect(ProviderError.isProviderError(error)).toBe(true);
    expect((error as ProviderError).errorClass).toBe('upstream_5xx');
    expect(assemble(chunks).text).toBe('The quick');
  });

  it('finalises a finished stream that lacks message_stop', async () => {
    const { decoder, chunks, error } = await callStream(
      anthropicProvider,
      withScenario(target, { omitDone: true }),
      chat,
    );
    expect(error).toBeUndefined();
    expect(decoder.terminated).toBe(false);
    expect(assemble(chunks).finishReason).toBe('stop');
  });

  it('skips a malformed event and reports it', async () => {
    const { malformed, chunks, error } = await callStream(
      anthropicProvider,
      withScenario(target, { malformedChunkAt: 2 }),
      chat,
    );
    expect(error).toBeUndefined();
    expect(malformed).toHaveLength(1);
    expect(assemble(chunks).text).toBe('The quick brown fox jumps over the lazy dog.');
  });
});

describe('anthropic provider: errors', () => {
  it.each([
    [{ status: 429, retryAfter: 3 }, 'rate_limit'],
    [{ status: 401 }, 'auth'],
    [{ status: 400, errorCode: 'context_length_exceeded' }, 'context_window_exceeded'],
    [{ status: 400, errorCode: 'content_policy_violation' }, 'content_policy'],
    [{ status: 500 }, 'upstream_5xx'],
    [{ status: 529 }, 'upstream_5xx'],
    [{ status: 503 }, 'upstream_5xx'],
  ] as const)('maps %j to %s', async (scenario, errorClass) => {
    const error = await expectProviderError(
      callJson(anthropicProvider, withScenario(target, scenario), chat),
    );
    expect(error.errorClass).toBe(errorClass);
    if (scenario.status === 429) expect(error.retryAfterMs).toBe(3000);
  });

  it('keeps the key out of the message when the upstream echoes it', async () => {
    const error = await expectProviderError(
      callJson(
        anthropicProvider,
        withScenario(target, { status: 401, errorMessage: `invalid x-api-key ${KEY}` }),
        chat,
      ),
    );
    expect(error.message).toContain('invalid x-api-key');
    expect(error.message).not.toContain(KEY);
  });
});

describe('createAnthropicProvider', () => {
  it('takes its clock and default max_tokens from options, a deployment setting winning', async () => {
    const provider = createAnthropicProvider({ now: () => 1_800_000_000_000, defaultMaxTokens: 1000 });
    const response = (await callJson(provider, target, chat)) as ChatCompletionResponse;
    expect(response.created).toBe(1_800_000_000);
    expect(sentBody().max_tokens).toBe(1000);
    const built = provider.buildRequest('chat', chat, { ...target, extra: { defaultMaxTokens: 64 } });
    expect(JSON.parse(built.body!).max_tokens).toBe(64);
  });
});
