// Writes canonical (OpenAI) chunks as Anthropic Messages SSE events, chunk by chunk, for Anthropic ingress.
import type { GwError } from '@gw/errors';
import { anthropicErrorEvent } from '../ingress/error-format.ts';
import { stopReasonFromOpenAI } from '../translate/stop-reasons.ts';
import { usageToAnthropic } from '../translate/usage.ts';
import type { AnthropicStopReason, AnthropicStreamEvent } from '../types/anthropic.ts';
import type { ChatCompletionChunk, CompletionUsage, FinishReason, ThinkingBlock } from '../types/openai.ts';
import type { CanonicalStreamEncoder } from './openai-sse-encoder.ts';

function event(payload: AnthropicStreamEvent): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * `promptTokens` (gw's own count) fills `message_start`'s `input_tokens` when the upstream's first chunk carries
 * no usage, as Anthropic's own stream reports the prompt up front; the final `message_delta` has the upstream's.
 */
export function createAnthropicSseEncoder(requestedModel: string, promptTokens = 0): CanonicalStreamEncoder {
  let started = false;
  let blockIndex = -1;
  let openBlock: 'text' | 'thinking' | 'tool' | undefined;
  const blockByTool = new Map<number, number>();
  let finish: FinishReason | null = null;
  let usage: CompletionUsage | undefined;
  let id = '';

  const start = (chunk: ChatCompletionChunk | undefined): string => {
    if (started) return '';
    started = true;
    id = chunk?.id
      ? chunk.id.startsWith('msg_')
        ? chunk.id
        : `msg_${chunk.id}`
      : `msg_gw${Date.now().toString(36)}`;
    return event({
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: chunk?.model || requestedModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: chunk?.usage
          ? { ...usageToAnthropic(chunk.usage), output_tokens: 0 }
          : { input_tokens: promptTokens, output_tokens: 0 },
      },
    });
  };
  const closeBlock = (): string => {
    if (openBlock === undefined) return '';
    openBlock = undefined;
    return event({ type: 'content_block_stop', index: blockIndex });
  };

  /** A thinking or text delta, opening a block of that kind first unless one is open. */
  const textBlockDelta = (kind: 'thinking' | 'text', text: string): string => {
    let out = '';
    if (openBlock !== kind) {
      out += closeBlock();
      blockIndex += 1;
      openBlock = kind;
      out += event({
        type: 'content_block_start',
        index: blockIndex,
        content_block: kind === 'thinking' ? { type: 'thinking', thinking: '' } : { type: 'text', text: '' },
      });
    }
    return (
      out +
      event({
        type: 'content_block_delta',
        index: blockIndex,
        delta:
          kind === 'thinking' ? { type: 'thinking_delta', thinking: text } : { type: 'text_delta', text },
      })
    );
  };

  /** A thinking block's signature goes into that block; a redacted block is a whole block of its own. */
  const thinkingBlocks = (blocks: readonly ThinkingBlock[]): string => {
    let out = '';
    for (const block of blocks) {
      if (block.type === 'thinking' && typeof block.signature === 'string') {
        if (openBlock !== 'thinking') {
          out += closeBlock();
          blockIndex += 1;
          openBlock = 'thinking';
          out += event({
            type: 'content_block_start',
            index: blockIndex,
            content_block: { type: 'thinking', thinking: '' },
          });
        }
        out += event({
          type: 'content_block_delta',
          index: blockIndex,
          delta: { type: 'signature_delta', signature: block.signature },
        });
        // The signature ends its block: thinking that follows is a block of its own.
        out += closeBlock();
      } else if (block.type === 'redacted_thinking') {
        out += closeBlock();
        blockIndex += 1;
        out += event({ type: 'content_block_start', index: blockIndex, content_block: block });
        out += event({ type: 'content_block_stop', index: blockIndex });
      }
    }
    return out;
  };

  return {
    chunk(value) {
      const chunk = value as ChatCompletionChunk;
      let out = start(chunk);
      if (chunk.usage !== undefined && chunk.usage !== null) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (choice === undefined) return out;
      const delta = choice.delta ?? {};
      if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
        out += textBlockDelta('thinking', delta.reasoning_content);
      }
      if (delta.thinking_blocks !== undefined) out += thinkingBlocks(delta.thinking_blocks);
      if (typeof delta.content === 'string' && delta.content !== '') {
        out += textBlockDelta('text', delta.content);
      }
      for (const call of delta.tool_calls ?? []) {
        if (!blockByTool.has(call.index)) {
          out += closeBlock();
          blockIndex += 1;
          openBlock = 'tool';
          blockByTool.set(call.index, blockIndex);
          out += event({
            type: 'content_block_start',
            index: blockIndex,
            content_block: {
              type: 'tool_use',
              id: call.id ?? `toolu_${blockIndex}`,
              name: call.function?.name ?? '',
              input: {},
            },
          });
        }
        const args = call.function?.arguments;
        if (args !== undefined && args !== '') {
          out += event({
            type: 'content_block_delta',
            index: blockByTool.get(call.index)!,
            delta: { type: 'input_json_delta', partial_json: args },
          });
        }
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) finish = choice.finish_reason;
      return out;
    },
    end() {
      let out = start(undefined);
      out += closeBlock();
      const stopReason: AnthropicStopReason = stopReasonFromOpenAI(finish);
      const final = usageToAnthropic(usage);
      out += event({
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        // Anthropic repeats the input counts here; clients that read usage from message_delta get all of it.
        usage: final,
      });
      out += event({ type: 'message_stop' });
      return out;
    },
    error(error: GwError) {
      return anthropicErrorEvent(error);
    },
  };
}
