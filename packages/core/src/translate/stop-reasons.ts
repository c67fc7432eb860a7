// Maps OpenAI finish reasons and Anthropic stop reasons onto each other.
import type { AnthropicStopReason } from '../types/anthropic.ts';
import type { FinishReason } from '../types/openai.ts';

export function finishReasonFromAnthropic(
  reason: AnthropicStopReason | null | undefined,
): FinishReason | null {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    // The answer was cut where the context window filled up: as truncated as at max_tokens.
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return null;
  }
}

/** `stopSequenceHit` tells a stop sequence from a natural end, which OpenAI's `stop` does not distinguish. */
export function stopReasonFromOpenAI(
  reason: FinishReason | null | undefined,
  stopSequenceHit = false,
): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return stopSequenceHit ? 'stop_sequence' : 'end_turn';
  }
}
