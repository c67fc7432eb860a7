// The StreamDecoder every provider shares: SSE events through a provider-specific translation, with bookkeeping.
import { ProviderError } from '../errors/provider-error.ts';
import type { ChatCompletionChunk, CompletionUsage } from '../types/openai.ts';
import type { StreamDecoder, StreamDecoderOptions } from '../types/provider.ts';
import { createSseJsonDecoder, type SseEvent, type SseJsonDecoder } from './sse-decoder.ts';

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
  return new CanonicalStreamDecoder(spec, options);
}

// A class, not an object literal of closures and getters (which V8 keeps as a dictionary): one lives for every
// stream in flight.
class CanonicalStreamDecoder implements StreamDecoder {
  terminated = false;
  text = '';
  usage: CompletionUsage | undefined = undefined;
  readonly #spec: DecoderSpec;
  readonly #options: StreamDecoderOptions;
  readonly #sse: SseJsonDecoder;
  #misshapen = 0;
  #finished = false;
  // Chunks decoded ahead of an error event in the same read still reach the caller; the error follows.
  #pendingError: ProviderError | undefined = undefined;

  constructor(spec: DecoderSpec, options: StreamDecoderOptions) {
    this.#spec = spec;
    this.#options = options;
    this.#sse = createSseJsonDecoder(options.onMalformed);
  }

  get malformedCount(): number {
    return this.#sse.malformedCount + this.#misshapen;
  }

  push(bytes: Uint8Array | string): ChatCompletionChunk[] {
    this.#throwPending();
    return this.#handle(this.#sse.push(bytes));
  }

  end(): ChatCompletionChunk[] {
    this.#throwPending();
    const last = this.#handle(this.#sse.end());
    // No terminator is fine once the answer said it was finished; without even that, it was cut short.
    if (!this.terminated && !this.#finished) {
      throw new ProviderError({
        errorClass: 'connection',
        provider: this.#spec.provider,
        message: `${this.#spec.provider} ended the stream before the answer was complete (no finish reason, no terminator).`,
      });
    }
    return last;
  }

  #throwPending(): void {
    if (this.#pendingError === undefined) return;
    const error = this.#pendingError;
    this.#pendingError = undefined;
    throw error;
  }

  #handle(events: SseEvent[]): ChatCompletionChunk[] {
    const out: ChatCompletionChunk[] = [];
    for (const event of events) {
      if (this.terminated || this.#pendingError !== undefined) break;
      const outcome = this.#spec.translate(event);
      if ('malformed' in outcome) {
        this.#misshapen += 1;
        this.#options.onMalformed?.(JSON.stringify(event.data), new TypeError('unexpected event shape'));
        continue;
      }
      if ('terminator' in outcome) {
        this.terminated = true;
        break;
      }
      if ('error' in outcome) {
        const error = this.#spec.toError(outcome.error);
        if (out.length === 0) throw error;
        this.#pendingError = error;
        break;
      }
      for (const chunk of outcome) {
        const choice = chunk.choices?.[0] as
          | { delta?: { content?: unknown }; text?: unknown; finish_reason?: unknown }
          | undefined;
        const content = choice?.delta?.content ?? choice?.text;
        if (typeof content === 'string') this.text += content;
        if (choice?.finish_reason !== null && choice?.finish_reason !== undefined) this.#finished = true;
        if (chunk.usage !== undefined && chunk.usage !== null) this.usage = chunk.usage;
        out.push(chunk);
      }
    }
    return out;
  }
}
