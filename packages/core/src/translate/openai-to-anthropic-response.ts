// Translates a canonical (OpenAI) chat completion back into an Anthropic Messages response (Anthropic ingress).
import type { AnthropicContentBlock, AnthropicMessagesResponse } from '../types/anthropic.ts';
import type { ChatCompletionResponse } from '../types/openai.ts';
import { stopReasonFromOpenAI } from './stop-reasons.ts';
import { usageToAnthropic } from './usage.ts';

export function toAnthropicResponse(
  response: ChatCompletionResponse,
  requestedModel: string,
): AnthropicMessagesResponse {
  const choice = response.choices[0];
  const content: AnthropicContentBlock[] = [];
  const message = choice?.message;
  // Signed blocks from an Anthropic upstream go back as they came: the caller must return them unchanged.
  if (message?.thinking_blocks !== undefined && message.thinking_blocks.length > 0) {
    content.push(...message.thinking_blocks);
  } else if (typeof message?.reasoning_content === 'string' && message.reasoning_content !== '') {
    content.push({ type: 'thinking', thinking: message.reasoning_content });
  }
  const text = typeof message?.content === 'string' ? message.content : '';
  if (text !== '') content.push({ type: 'text', text });
  for (const call of message?.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseInput(call.function.arguments),
    });
  }
  return {
    id: response.id.startsWith('msg_') ? response.id : `msg_${response.id}`,
    type: 'message',
    role: 'assistant',
    model: response.model || requestedModel,
    content,
    stop_reason: stopReasonFromOpenAI(choice?.finish_reason),
    stop_sequence: null,
    usage: usageToAnthropic(response.usage),
  };
}

export function parseInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return { arguments: text };
  }
}
