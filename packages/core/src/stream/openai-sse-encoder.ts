// Writes canonical chunks as OpenAI SSE (`data: {...}`), chunk by chunk, ending with `[DONE]` or an error event.
import type { GwError } from '@gw/errors';
import { openAIErrorEvent } from '../ingress/error-format.ts';

/** Structurally the pipeline's StreamEncoder: SSE text for a chunk, the terminator, an explicit error event. */
export interface CanonicalStreamEncoder {
  chunk(chunk: unknown): string;
  end(): string;
  error(error: GwError): string;
}

export function createOpenAISseEncoder(): CanonicalStreamEncoder {
  return {
    chunk: (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
    end: () => 'data: [DONE]\n\n',
    // No [DONE] after an error: a client must not mistake a truncated answer for a complete one.
    error: (error) => openAIErrorEvent(error),
  };
}
