import { GwError } from '@gw/errors';
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anthropicProvider } from '../../src/providers/anthropic-provider.ts';
import { openAIProvider } from '../../src/providers/openai-provider.ts';
import { getProvider } from '../../src/providers/provider-registry.ts';
import { createAnthropicSseEncoder } from '../../src/stream/anthropic-sse-encoder.ts';
import { createAnthropicEventTranslator } from '../../src/translate/anthropic-events-to-chunks.ts';
import { fromAnthropicRequest } from '../../src/translate/anthropic-to-openai-request.ts';
import { toAnthropicResponse } from '../../src/translate/openai-to-anthropic-response.ts';
import type { AnthropicMessagesRequest, AnthropicStreamEvent } from '../../src/types/anthropic.ts';
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from '../../src/types/openai.ts';
import type { ProviderTarget } from '../../src/types/provider.ts';
import { callJson, callStream, withScenario } from '../providers/support/call-provider.ts';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAX+XDSwAAAABJRU5ErkJggg==';
let mock: MockUpstream;
let openai: ProviderTarget;
let anthropic: ProviderTarget;

beforeAll(async () => {
  mock = await startMockUpstream();
  openai = { provider: 'openai', model: 'gpt-4o', apiBase: `${mock.url}/v1`, apiKey: 'sk-openai-000000000' };
  anthropic = {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    apiBase: mock.url,
    apiKey: 'sk-ant-000000000',
  };
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const conversation: AnthropicMessagesRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 512,
  system: 'You are terse.',
  stop_sequences: ['STOP'],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Describe and look up.' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/dog.png' } },
      ],
    },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_a', name: 'lookup', input: { q: 'dog' } }],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_a', content: 'a good dog' },
        { type: 'text', text: 'And now?' },
      ],
    },
  ],
  tools: [
    {
      name: 'lookup',
      description: 'Search',
      input_schema: { type: 'object', properties: { q: { type: 'string' } } },
    },
  ],
  tool_choice: { type: 'tool', name: 'lookup' },
};

function parseEvents(text: string): AnthropicStreamEvent[] {
  const events: AnthropicStreamEvent[] = [];
  const parser = createParser({
    onEvent: (event) => {
      const data = JSON.parse(event.data) as AnthropicStreamEvent;
      expect(event.event).toBe(data.type);
      events.push(data);
    },
  });
  parser.feed(text);
  return events;
}

describe('Anthropic ingress translated to the canonical format', () => {
  it('becomes an OpenAI request with system, image parts, tool calls, tool results and a named tool_choice', () => {
    const canonical = fromAnthropicRequest(conversation);
    expect(canonical).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      stop: ['STOP'],
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe and look up.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/dog.png' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'toolu_a', type: 'function', function: { name: 'lookup', arguments: '{"q":"dog"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_a', content: 'a good dog' },
        { role: 'user', content: 'And now?' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup',
            description: 'Search',
            parameters: { type: 'object', properties: { q: { type: 'string' } } },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    });
  });

  it('round-trips to an Anthropic upstream unchanged (tools, images, tool results, system, stop)', async () => {
    await callJson(anthropicProvider, anthropic, fromAnthropicRequest(conversation));
    const sent = mock.requests[0]!.body as AnthropicMessagesRequest;
    expect(sent.system).toBe(conversation.system);
    expect(sent.messages).toEqual(conversation.messages);
    expect(sent.tools).toEqual(conversation.tools);
    expect(sent.tool_choice).toEqual(conversation.tool_choice);
    expect(sent.stop_sequences).toEqual(['STOP']);
    expect(sent.max_tokens).toBe(512);
  });

  it('carries a PDF document to an OpenAI upstream as a file part and to an Anthropic upstream as a document', async () => {
    const request: AnthropicMessagesRequest = {
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
              title: 'report.pdf',
            },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain notes.' } },
            { type: 'text', text: 'Summarise both.' },
          ],
        },
      ],
    };
    await callJson(openAIProvider, openai, fromAnthropicRequest(request));
    expect((mock.requests[0]!.body as ChatCompletionRequest).messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'file',
            file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQK' },
          },
          { type: 'text', text: 'Plain notes.' },
          { type: 'text', text: 'Summarise both.' },
        ],
      },
    ]);
    await callJson(anthropicProvider, anthropic, fromAnthropicRequest(request));
    expect((mock.requests[1]!.body as AnthropicMessagesRequest).messages[0]!.content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' } },
      { type: 'text', text: 'Plain notes.' },
      { type: 'text', text: 'Summarise both.' },
    ]);
  });

  it('answers in Anthropic format from an OpenAI upstream (JSON, tool call, cached usage)', async () => {
    const canonical = fromAnthropicRequest(conversation);
    const response = (await callJson(
      openAIProvider,
      withScenario(openai, {
        toolCall: { name: 'lookup', arguments: { q: 'cat' }, id: 'call_x' },
        usage: { promptTokens: 40, completionTokens: 6, cachedTokens: 16 },
      }),
      canonical as ChatCompletionRequest,
    )) as ChatCompletionResponse;
    const answer = toAnthropicResponse(response, 'claude-sonnet-4-5');
    expect(answer.type).toBe('message');
    expect(answer.id.startsWith('msg_')).toBe(true);
    expect(answer.stop_reason).toBe('tool_use');
    expect(answer.content).toEqual([{ type: 'tool_use', id: 'call_x', name: 'lookup', input: { q: 'cat' } }]);
    expect(answer.usage).toEqual({
      input_tokens: 24,
      output_tokens: 6,
      cache_read_input_tokens: 16,
      cache_creation_input_tokens: 0,
    });
  });

  it('maps length to max_tokens and text to a text block', async () => {
    const response = (await callJson(openAIProvider, openai, {
      ...fromAnthropicRequest({ ...conversation, tools: [], tool_choice: { type: 'auto' } }),
      max_tokens: 2,
    } as ChatCompletionRequest)) as ChatCompletionResponse;
    const answer = toAnthropicResponse(response, 'x');
    expect(answer.stop_reason).toBe('max_tokens');
    expect(answer.content[0]).toMatchObject({ type: 'text' });
  });

  it('streams an OpenAI upstream back as Anthropic SSE events, in order, with text and usage', async () => {
    const canonical = fromAnthropicRequest({ ...conversation, stream: true });
    expect(canonical.stream_options).toEqual({ include_usage: true });
    const { chunks } = await callStream(
      openAIProvider,
      withScenario(openai, { usage: { promptTokens: 30, cachedTokens: 10 } }),
      canonical as ChatCompletionRequest,
    );
    const encoder = createAnthropicSseEncoder('claude-sonnet-4-5');
    let wire = '';
    for (const chunk of chunks) wire += encoder.chunk(chunk);
    wire += encoder.end();
    const events = parseEvents(wire);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      ...Array(9).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const text = events
      .map((event) =>
        event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '',
      )
      .join('');
    expect(text).toBe('The quick brown fox jumps over the lazy dog.');
    const delta = events.find((event) => event.type === 'message_delta');
    expect(delta).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } });
  });

  it("reports gw's prompt count in message_start when the upstream's first chunk has no usage", async () => {
    const { chunks } = await callStream(
      openAIProvider,
      withScenario(openai, { usage: { promptTokens: 30 } }),
      fromAnthropicRequest({ ...conversation, stream: true }) as ChatCompletionRequest,
    );
    const counted = parseEvents(createAnthropicSseEncoder('claude', 27).chunk(chunks[0]));
    expect(counted[0]).toMatchObject({ type: 'message_start', message: { usage: { input_tokens: 27 } } });
    const uncounted = parseEvents(createAnthropicSseEncoder('claude').chunk(chunks[0]));
    expect(uncounted[0]).toMatchObject({ message: { usage: { input_tokens: 0, output_tokens: 0 } } });
    const withUsage = createAnthropicSseEncoder('claude', 27).chunk({
      ...(chunks[0] as object),
      usage: { prompt_tokens: 30, completion_tokens: 0, total_tokens: 30 },
    });
    expect(parseEvents(withUsage)[0]).toMatchObject({ message: { usage: { input_tokens: 30 } } });
  });

  it('streams tool-call argument deltas back as input_json_delta', async () => {
    const { chunks } = await callStream(
      openAIProvider,
      withScenario(openai, {
        toolCall: { name: 'lookup', arguments: { q: 'a longer query text' }, id: 'call_s' },
      }),
      fromAnthropicRequest({ ...conversation, stream: true }) as ChatCompletionRequest,
    );
    const encoder = createAnthropicSseEncoder('claude');
    const events = parseEvents(chunks.map((chunk) => encoder.chunk(chunk)).join('') + encoder.end());
    const start = events.find((event) => event.type === 'content_block_start');
    expect(start).toMatchObject({ content_block: { type: 'tool_use', id: 'call_s', name: 'lookup' } });
    const json = events
      .map((event) =>
        event.type === 'content_block_delta' && event.delta.type === 'input_json_delta'
          ? event.delta.partial_json
          : '',
      )
      .join('');
    expect(JSON.parse(json)).toEqual({ q: 'a longer query text' });
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({
      delta: { stop_reason: 'tool_use' },
    });
  });

  it('streams an Anthropic upstream through canonical chunks and back to equivalent Anthropic events', async () => {
    const { chunks } = await callStream(
      anthropicProvider,
      withScenario(anthropic, { toolCall: { name: 'lookup', arguments: { q: 'x' }, id: 'toolu_r' } }),
      fromAnthropicRequest({ ...conversation, stream: true }),
    );
    const encoder = createAnthropicSseEncoder('claude');
    const events = parseEvents(chunks.map((chunk) => encoder.chunk(chunk)).join('') + encoder.end());
    expect(events[0]?.type).toBe('message_start');
    expect(events.at(-1)?.type).toBe('message_stop');
    expect(events.find((event) => event.type === 'content_block_start')).toMatchObject({
      content_block: { type: 'tool_use', id: 'toolu_r', name: 'lookup' },
    });
  });

  it('streams thinking signatures and redacted thinking from an Anthropic upstream back to an Anthropic caller', () => {
    const translator = createAnthropicEventTranslator('claude', 1);
    const upstream: AnthropicStreamEvent[] = [
      {
        type: 'message_start',
        message: {
          id: 'msg_t',
          type: 'message',
          role: 'assistant',
          model: 'claude',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 5, output_tokens: 1 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Look it up.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-abc' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} },
      },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 2 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 9 },
      },
    ];
    const encoder = createAnthropicSseEncoder('claude');
    let wire = '';
    for (const event of upstream) {
      for (const chunk of translator.translate(event) as ChatCompletionChunk[]) wire += encoder.chunk(chunk);
    }
    const events = parseEvents(wire + encoder.end());
    expect(
      events.filter((event) => event.type !== 'message_start' && event.type !== 'message_delta'),
    ).toEqual(
      upstream
        .filter((event) => event.type !== 'message_start' && event.type !== 'message_delta')
        .concat({
          type: 'message_stop',
        }),
    );
  });

  it('ends a broken stream with an Anthropic error event and no message_stop', () => {
    const encoder = createAnthropicSseEncoder('claude');
    const wire =
      encoder.chunk({
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }],
      }) +
      encoder.error(
        new GwError({ code: 'GW_ERR_STREAM_INTERRUPTED', message: 'The upstream broke off.', status: 502 }),
      );
    const events = parseEvents(wire);
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The upstream broke off.' },
    });
    expect(events.some((event) => event.type === 'message_stop')).toBe(false);
  });
});

describe('Anthropic-only fields toward OpenAI-format upstreams', () => {
  const cached = {
    model: 'gpt-4o',
    max_tokens: 50,
    top_k: 5,
    thinking: { type: 'enabled' as const, budget_tokens: 1024 },
    system: [{ type: 'text' as const, text: 'Policy', cache_control: { type: 'ephemeral' as const } }],
    messages: [
      {
        role: 'user' as const,
        content: [{ type: 'text' as const, text: 'Doc', cache_control: { type: 'ephemeral' as const } }],
      },
    ],
    tools: [{ name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' as const } }],
  };

  it('strips cache_control, thinking and top_k before calling OpenAI', async () => {
    await callJson(openAIProvider, openai, fromAnthropicRequest(cached));
    const sent = JSON.stringify(mock.requests[0]!.body);
    expect(sent).not.toContain('cache_control');
    expect(sent).not.toContain('thinking');
    expect(sent).not.toContain('top_k');
    expect(mock.requests[0]!.body).toMatchObject({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Policy' }] },
        { role: 'user', content: [{ type: 'text', text: 'Doc' }] },
      ],
    });
  });

  it('leaves the signed thinking blocks of earlier turns out of the history sent to OpenAI', async () => {
    await callJson(
      openAIProvider,
      openai,
      fromAnthropicRequest({
        model: 'gpt-4o',
        max_tokens: 50,
        messages: [
          { role: 'user', content: 'Look up x' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'Look it up.', signature: 'sig-abc' },
              { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} },
            ],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' }] },
        ],
      }),
    );
    expect(JSON.stringify(mock.requests[0]!.body)).not.toContain('thinking');
    expect((mock.requests[0]!.body as ChatCompletionRequest).messages[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
    });
  });

  it('moves the images of tool results into a user message after them, which OpenAI accepts', async () => {
    const image = { type: 'base64' as const, media_type: 'image/png', data: 'iVBORw0KGgo=' };
    await callJson(
      openAIProvider,
      openai,
      fromAnthropicRequest({
        model: 'gpt-4o',
        max_tokens: 50,
        messages: [
          { role: 'user', content: 'Read both files' },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'a.png' } },
              { type: 'tool_use', id: 'toolu_2', name: 'read', input: { path: 'b.txt' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'image', source: image }] },
              { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'plain' }] },
              { type: 'text', text: 'Compare them' },
            ],
          },
        ],
      }),
    );
    const sent = (mock.requests[0]!.body as ChatCompletionRequest).messages;
    expect(sent.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'toolu_1', content: 'The result is the images in the next message.' },
      { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: 'plain' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'The tool results above returned these images:' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${image.data}` } },
        ],
      },
      { role: 'user', content: 'Compare them' },
    ]);
  });

  it('keeps top_k for OpenAI-compatible servers that accept it', () => {
    const built = getProvider('openai-compatible')!.buildRequest('chat', fromAnthropicRequest(cached), {
      ...openai,
      provider: 'openai-compatible',
    });
    const body = JSON.parse(built.body!);
    expect(body.top_k).toBe(5);
    expect(built.body).not.toContain('cache_control');
  });
});
