// The StreamDecoder every provider shares: SSE events through a provider-specific translation, with bookkeeping.
import { ProviderError } from '../errors/provider-error.ts';
import type { ChatCompletionChunk, CompletionUsage } from '../types/openai.ts';
import type { StreamDecoder, StreamDecoderOptions } from '../types/provider.ts';
import { createSseJsonDecoder, type SseEvent } from './sse-decoder.ts';

/** `malformed`: valid JSON in the wrong shape, skipped and reported like unparseable data. */
export type EventOutcome =
  | ChatCompletionChunk[]
  | { terminator: true }
  | { error: unknown }
  | { malformed: true };

export interface DecoderSpec {
  provider: string;
  /** Chunks for one parsed event, the terminator, or an in-stream error. */
  translate(event: SseEvent): EventOutcome;
  /** Turns an in-stream error payload into a ProviderError. */
  toError(error: unknown): ProviderError;
}

export function createCanonicalStreamDecoder(
  spec: DecoderSpec,
  options: StreamDecoderOptions = {},
): StreamDecoder {
  const sse = createSseJsonDecoder(options.onMalformed);
  let terminated = false;
  let misshapen = 0;
  let finished = false;
  let text = '';
  let usage: CompletionUsage | undefined;
  // Chunks decoded ahead of an error event in the same read still reach the caller; the error follows.
  let pendingError: ProviderError | undefined;
  const throwPending = (): void => {
    if (pendingError === undefined) return;
    const error = pendingError;
    pendingError = undefined;
    throw error;
  };

  const handle = (events: SseEvent[]): ChatCompletionChunk[] => {
    const out: ChatCompletionChunk[] = [];
    for (const event of events) {
      if (terminated || pendingError !== undefined) break;
      const outcome = spec.translate(event);
      if ('malformed' in outcome) {
        misshapen += 1;
        options.onMalformed?.(JSON.stringify(event.data), new TypeError('unexpected event shape'));
        continue;
      }
      if ('terminator' in outcome) {
        terminated = true;
        break;
      }
      if ('error' in outcome) {
        const error = spec.toError(outcome.error);
        if (out.length === 0) throw error;
        pendingError = error;
        break;
      }
      for (const chunk of outcome) {
        const choice = chunk.choices?.[0] as
          | { delta?: { content?: unknown }; text?: unknown; finish_reason?: unknown }
          | undefined;
        const content = choice?.delta?.content ?? choice?.text;
        if (typeof content === 'string') text += content;
        if (choice?.finish_reason !== null && choice?.finish_reason !== undefined) finished = true;
        if (chunk.usage !== undefined && chunk.usage !== null) usage = chunk.usage;
        out.push(chunk);
      }
    }
    return out;
  };

  return {
    get terminated() {
      return terminated;
    },
    get malformedCount() {
      return sse.malformedCount + misshapen;
    },
    get text() {
      return text;
    },
    get usage() {
      return usage;
    },
    push(bytes) {
      throwPending();
      return handle(sse.push(bytes));
    },
    end() {
      throwPending();
      const last = handle(sse.end());
      // No terminator is fine once the answer said it was finished; without even that, it was cut short.
      if (!terminated && !finished) {
        throw new ProviderError({
          errorClass: 'connection',
          provider: spec.provider,
          message: `${spec.provider} ended the stream before the answer was complete (no finish reason, no terminator).`,
        });
      }
      return last;
    },
  };
}
