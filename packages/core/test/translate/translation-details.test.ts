import { describe, expect, it } from 'vitest';
import { fromAnthropicRequest } from '../../src/translate/anthropic-to-openai-request.ts';
import { fromAnthropicResponse } from '../../src/translate/anthropic-to-openai-response.ts';
import { toAnthropicRequest } from '../../src/translate/openai-to-anthropic-request.ts';
import { toAnthropicResponse } from '../../src/translate/openai-to-anthropic-response.ts';
import { finishReasonFromAnthropic, stopReasonFromOpenAI } from '../../src/translate/stop-reasons.ts';
import { usageFromAnthropic, usageToAnthropic } from '../../src/translate/usage.ts';
import type { AnthropicToolChoice } from '../../src/types/anthropic.ts';
import type { ChatCompletionRequest, ToolChoice } from '../../src/types/openai.ts';

const base: ChatCompletionRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

describe('tool_choice', () => {
  const pairs: [ToolChoice, AnthropicToolChoice][] = [
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [
      { type: 'function', function: { name: 'f' } },
      { type: 'tool', name: 'f' },
    ],
  ];
  it.each(pairs)('OpenAI %j <-> Anthropic %j', (openai, anthropic) => {
    expect(toAnthropicRequest({ ...base, tool_choice: openai }).tool_choice).toEqual(anthropic);
    expect(
      fromAnthropicRequest({ model: 'm', max_tokens: 1, messages: [], tool_choice: anthropic }).tool_choice,
    ).toEqual(openai);
  });

  it('carries parallel_tool_calls: false as disable_parallel_tool_use and back', () => {
    const out = toAnthropicRequest({ ...base, tool_choice: 'auto', parallel_tool_calls: false });
    expect(out.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(fromAnthropicRequest({ ...out, messages: [] }).parallel_tool_calls).toBe(false);
  });
});

describe('stop and finish reasons', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
  ] as const)('Anthropic %s -> OpenAI %s', (anthropic, openai) => {
    expect(finishReasonFromAnthropic(anthropic)).toBe(openai);
  });
  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
  ] as const)('OpenAI %s -> Anthropic %s', (openai, anthropic) => {
    expect(stopReasonFromOpenAI(openai)).toBe(anthropic);
  });
  it('reports stop_sequence when the caller knows a stop sequence matched', () => {
    expect(stopReasonFromOpenAI('stop', true)).toBe('stop_sequence');
  });
});

describe('usage', () => {
  it('counts cache reads and writes into prompt_tokens and splits them back out', () => {
    const openai = usageFromAnthropic({
      input_tokens: 10,
      output_tokens: 4,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
    });
    expect(openai).toEqual({
      prompt_tokens: 130,
      completion_tokens: 4,
      total_tokens: 134,
      prompt_tokens_details: { cached_tokens: 100 },
      cache_creation_input_tokens: 20,
    });
    expect(usageToAnthropic(openai)).toEqual({
      input_tokens: 10,
      output_tokens: 4,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
    });
  });
});

describe('OpenAI -> Anthropic request details', () => {
  it('uses max_completion_tokens, then the default, for max_tokens', () => {
    expect(toAnthropicRequest({ ...base, max_completion_tokens: 77 }).max_tokens).toBe(77);
    expect(toAnthropicRequest(base).max_tokens).toBe(4096);
    expect(toAnthropicRequest(base, { defaultMaxTokens: 1024 }).max_tokens).toBe(1024);
  });

  it('keeps one system message as a string and merges consecutive tool results into one user turn', () => {
    const out = toAnthropicRequest({
      ...base,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Sys' }] },
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: 'Calling two tools',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'A' },
        { role: 'tool', tool_call_id: 'b', content: 'B' },
      ],
    });
    expect(out.system).toBe('Sys');
    expect(out.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Calling two tools' },
        { type: 'tool_use', id: 'a', name: 'f', input: {} },
        { type: 'tool_use', id: 'b', name: 'g', input: {} },
      ],
    });
    expect(out.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'a', content: 'A' },
        { type: 'tool_result', tool_use_id: 'b', content: 'B' },
      ],
    });
  });

  it('lets default-valued OpenAI parameters through and rejects unknown ones unless dropped', () => {
    expect(() =>
      toAnthropicRequest({ ...base, n: 1, presence_penalty: 0, response_format: { type: 'text' } }),
    ).not.toThrow();
    expect(() => toAnthropicRequest({ ...base, n: 2 })).toThrow(/'n'/);
    expect(() => toAnthropicRequest({ ...base, foo_bar: 1 })).toThrow(/'foo_bar'/);
    expect(toAnthropicRequest({ ...base, n: 2, foo_bar: 1 }, { dropParams: true })).not.toHaveProperty(
      'foo_bar',
    );
  });
});

describe('responses', () => {
  it('turns Anthropic thinking into reasoning_content and keeps text', () => {
    const out = fromAnthropicResponse(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'text', text: 'Answer' },
        ],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 2 },
      },
      123,
    );
    expect(out.choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'Answer',
      reasoning_content: 'hmm',
      thinking_blocks: [{ type: 'thinking', thinking: 'hmm' }],
    });
    expect(out.created).toBe(123);
  });

  it('turns an OpenAI answer with text and tool calls into Anthropic blocks', () => {
    const out = toAnthropicResponse(
      {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt',
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: {
              role: 'assistant',
              content: 'Let me check',
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
            },
          },
        ],
      },
      'asked',
    );
    expect(out.content).toEqual([
      { type: 'text', text: 'Let me check' },
      { type: 'tool_use', id: 'c', name: 'f', input: { a: 1 } },
    ]);
    expect(out.usage).toEqual({ input_tokens: 0, output_tokens: 0 });
  });
});

describe('assistant prefill', () => {
  it('keeps a trailing assistant message for Anthropic to continue, without trailing whitespace', () => {
    const out = toAnthropicRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Count to five' },
        { role: 'assistant', content: 'One, two, ' },
      ],
    });
    expect(out.messages.at(-1)).toEqual({ role: 'assistant', content: 'One, two,' });
  });
});

describe('extended thinking', () => {
  it('carries thinking from Anthropic ingress through the canonical request to an Anthropic upstream', () => {
    const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
    const canonical = fromAnthropicRequest({
      model: 'c',
      max_tokens: 4000,
      messages: [{ role: 'user', content: 'x' }],
      thinking,
    });
    expect(canonical.thinking).toEqual(thinking);
    expect(toAnthropicRequest(canonical).thinking).toEqual(thinking);
  });

  it('hands an Anthropic caller the signed thinking blocks and sends them back upstream on its next turn, so a tool call made while thinking can continue', () => {
    const thinkingBlocks = [
      { type: 'thinking' as const, thinking: 'I should look it up.', signature: 'sig-abc' },
      { type: 'redacted_thinking' as const, data: 'opaque-xyz' },
    ];
    const toolUse = { type: 'tool_use' as const, id: 'toolu_1', name: 'lookup', input: { q: 'x' } };
    const upstreamAnswer = fromAnthropicResponse(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [...thinkingBlocks, toolUse],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 2 },
      },
      1,
    );
    const callerAnswer = toAnthropicResponse(upstreamAnswer, 'claude');
    expect(callerAnswer.content).toEqual([...thinkingBlocks, toolUse]);

    const nextTurn = toAnthropicRequest(
      fromAnthropicRequest({
        model: 'c',
        max_tokens: 4000,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [
          { role: 'user', content: 'Look up x' },
          { role: 'assistant', content: callerAnswer.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' }] },
        ],
      }),
    );
    expect(nextTurn.messages[1]).toEqual({ role: 'assistant', content: [...thinkingBlocks, toolUse] });
  });
});

describe('prompt caching (cache_control)', () => {
  it('survives Anthropic ingress -> canonical -> Anthropic upstream on system, text, images and tools', () => {
    const cache = { type: 'ephemeral' as const };
    const original = {
      model: 'c',
      max_tokens: 10,
      system: [
        { type: 'text' as const, text: 'Long policy', cache_control: cache },
        { type: 'text' as const, text: 'Short note' },
      ],
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'Big document', cache_control: cache },
            {
              type: 'image' as const,
              source: { type: 'url' as const, url: 'https://x/y.png' },
              cache_control: cache,
            },
          ],
        },
      ],
      tools: [{ name: 'f', input_schema: { type: 'object' }, cache_control: cache }],
    };
    const back = toAnthropicRequest(fromAnthropicRequest(original));
    expect(back.system).toEqual(original.system);
    expect(back.messages).toEqual(original.messages);
    expect(back.tools).toEqual(original.tools);
  });

  it('is accepted on OpenAI-shaped content parts (LiteLLM style) and kept by validation', async () => {
    const { validateRequest } = await import('../../src/ingress/validate-request.ts');
    const body = validateRequest('chat', {
      model: 'claude',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'doc', cache_control: { type: 'ephemeral' } }] },
      ],
    });
    expect(toAnthropicRequest(body).messages[0]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'doc', cache_control: { type: 'ephemeral' } }],
    });
  });
});

describe('empty assistant turns', () => {
  it('are left out, and the user turns around them merged', () => {
    const out = toAnthropicRequest({
      ...base,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'b' },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });
});
