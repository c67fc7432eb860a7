// Turns Anthropic Messages SSE events into canonical (OpenAI) chunks, one event at a time.
import type { AnthropicStreamEvent, AnthropicUsage } from '../types/anthropic.ts';
import type {
  ChatCompletionChunk,
  ChatCompletionDelta,
  CompletionUsage,
  FinishReason,
} from '../types/openai.ts';
import { JSON_TOOL_NAME } from './json-tool.ts';
import { finishReasonFromAnthropic } from './stop-reasons.ts';
import { usageFromAnthropic } from './usage.ts';

export interface AnthropicEventTranslator {
  /** Chunks for one event; an `error` event is returned to the caller as `{ error }` instead. */
  translate(
    event: AnthropicStreamEvent,
  ): ChatCompletionChunk[] | { error: { type: string; message: string } };
  readonly stopped: boolean;
  readonly usage: CompletionUsage | undefined;
}

export function createAnthropicEventTranslator(
  fallbackModel: string,
  created: number,
): AnthropicEventTranslator {
  let id = 'msg_unknown';
  let model = fallbackModel;
  let stopped = false;
  let usage: Partial<AnthropicUsage> = {};
  let reported: CompletionUsage | undefined;
  // Anthropic numbers all content blocks; OpenAI numbers tool calls only.
  const toolIndexByBlock = new Map<number, number>();
  const jsonBlocks = new Set<number>();

  const chunk = (
    delta: ChatCompletionDelta,
    finishReason: FinishReason | null = null,
  ): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });

  return {
    get stopped() {
      return stopped;
    },
    get usage() {
      return reported;
    },
    translate(event) {
      switch (event.type) {
        case 'message_start':
          id = event.message.id ?? id;
          model = event.message.model ?? model;
          usage = { ...event.message.usage };
          return [chunk({ role: 'assistant', content: '' })];
        case 'content_block_start': {
          const block = event.content_block;
          if (block.type === 'tool_use' && block.name === JSON_TOOL_NAME) {
            jsonBlocks.add(event.index);
            return [];
          }
          if (block.type === 'tool_use') {
            const toolIndex = toolIndexByBlock.size;
            toolIndexByBlock.set(event.index, toolIndex);
            return [
              chunk({
                tool_calls: [
                  {
                    index: toolIndex,
                    id: block.id,
                    type: 'function',
                    function: { name: block.name, arguments: '' },
                  },
                ],
              }),
            ];
          }
          if (block.type === 'text' && block.text !== '') return [chunk({ content: block.text })];
          if (block.type === 'redacted_thinking') {
            return [chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: block.data }] })];
          }
          return [];
        }
        case 'content_block_delta': {
          const delta = event.delta;
          if (delta.type === 'text_delta') return [chunk({ content: delta.text })];
          if (delta.type === 'input_json_delta' && jsonBlocks.has(event.index)) {
            return [chunk({ content: delta.partial_json })];
          }
          if (delta.type === 'input_json_delta') {
            const toolIndex = toolIndexByBlock.get(event.index) ?? 0;
            return [
              chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] }),
            ];
          }
          if (delta.type === 'thinking_delta') return [chunk({ reasoning_content: delta.thinking })];
          // The signature that closes a thinking block; an Anthropic caller needs it to send the block back.
          if (delta.type === 'signature_delta') {
            return [
              chunk({ thinking_blocks: [{ type: 'thinking', thinking: '', signature: delta.signature }] }),
            ];
          }
          return [];
        }
        case 'message_delta': {
          usage = { ...usage, ...definedOnly(event.usage ?? {}) };
          reported = usageFromAnthropic(usage);
          const stopReason = event.delta?.stop_reason;
          // Only the JSON tool was called: that is the answer, finished, not a tool call.
          const jsonOnly = stopReason === 'tool_use' && toolIndexByBlock.size === 0;
          const finish = jsonOnly ? 'stop' : (finishReasonFromAnthropic(stopReason) ?? 'stop');
          const usageChunk: ChatCompletionChunk = { ...chunk({}), choices: [], usage: reported };
          return [chunk({}, finish), usageChunk];
        }
        case 'message_stop':
          stopped = true;
          return [];
        case 'error':
          return { error: event.error ?? { type: 'api_error', message: 'Unknown stream error' } };
        default:
          return [];
      }
    },
  };
}

function definedOnly(usage: Partial<AnthropicUsage>): Partial<AnthropicUsage> {
  const out: Partial<AnthropicUsage> = {};
  for (const [key, value] of Object.entries(usage)) {
    if (value !== undefined && value !== null) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
