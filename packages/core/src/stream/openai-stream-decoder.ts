// Decodes an OpenAI-format SSE stream (OpenAI, Azure, compatible hosts, mock) into canonical chunks.
import type { ChatCompletionChunk } from '../types/openai.ts';
import type { ProviderTarget, StreamDecoder, StreamDecoderOptions } from '../types/provider.ts';
import { createCanonicalStreamDecoder } from './canonical-stream-decoder.ts';
import { inStreamError } from './in-stream-error.ts';

export function createOpenAIStreamDecoder(
  target: ProviderTarget,
  options: StreamDecoderOptions = {},
): StreamDecoder {
  return createCanonicalStreamDecoder(
    {
      provider: target.provider,
      translate(event) {
        if (event.data === '[DONE]') return { terminator: true };
        const data = event.data as Record<string, unknown> | null;
        if (data === null || typeof data !== 'object' || Array.isArray(data)) return { malformed: true };
        if (data.error !== undefined && data.choices === undefined) return { error: data.error };
        // Azure sends a first chunk with prompt_filter_results and no choices; it carries nothing to relay.
        if (data.choices === undefined && data.prompt_filter_results !== undefined) return [];
        if (!Array.isArray(data.choices)) return { malformed: true };
        if (data.choices.length === 0 && (data.usage === undefined || data.usage === null)) return [];
        return [data as unknown as ChatCompletionChunk];
      },
      toError: (error) => inStreamError(target.provider, error, [target.apiKey]),
    },
    options,
  );
}
