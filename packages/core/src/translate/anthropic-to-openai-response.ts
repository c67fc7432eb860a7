// Translates an Anthropic Messages response into a canonical (OpenAI) chat completion.
import type { AnthropicMessagesResponse, AnthropicStopReason } from '../types/anthropic.ts';
import type {
  ChatCompletionResponse,
  ChatMessage,
  FinishReason,
  ThinkingBlock,
  ToolCall,
} from '../types/openai.ts';
import { JSON_TOOL_NAME } from './json-tool.ts';
import { finishReasonFromAnthropic } from './stop-reasons.ts';
import { usageFromAnthropic } from './usage.ts';

export function fromAnthropicResponse(
  response: AnthropicMessagesResponse,
  created: number,
): ChatCompletionResponse {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  const thinkingBlocks: ThinkingBlock[] = [];
  for (const block of response.content ?? []) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') {
      reasoning += block.thinking;
      thinkingBlocks.push(block);
    } else if (block.type === 'redacted_thinking') thinkingBlocks.push(block);
    else if (block.type === 'tool_use' && block.name === JSON_TOOL_NAME)
      text += JSON.stringify(block.input ?? {});
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: ChatMessage & { role: 'assistant' } = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
  return {
    id: response.id,
    object: 'chat.completion',
    created,
    model: response.model,
    choices: [{ index: 0, message, finish_reason: finishReason(response.stop_reason, toolCalls.length) }],
    usage: usageFromAnthropic(response.usage ?? { input_tokens: 0, output_tokens: 0 }),
  };
}

/** A `tool_use` stop that only called the JSON tool is a finished answer, not a tool call. */
function finishReason(reason: AnthropicStopReason | null, toolCalls: number): FinishReason {
  if (reason === 'tool_use' && toolCalls === 0) return 'stop';
  return finishReasonFromAnthropic(reason) ?? 'stop';
}
