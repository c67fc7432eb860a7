// Decodes an Anthropic Messages SSE stream into canonical (OpenAI) chunks.
import { createAnthropicEventTranslator } from '../translate/anthropic-events-to-chunks.ts';
import type { AnthropicStreamEvent } from '../types/anthropic.ts';
import type { ProviderTarget, StreamDecoder, StreamDecoderOptions } from '../types/provider.ts';
import { createCanonicalStreamDecoder } from './canonical-stream-decoder.ts';
import { inStreamError } from './in-stream-error.ts';

export function createAnthropicStreamDecoder(
  target: ProviderTarget,
  options: StreamDecoderOptions = {},
  now: () => number = Date.now,
): StreamDecoder {
  const translator = createAnthropicEventTranslator(target.model, Math.floor(now() / 1000));
  return createCanonicalStreamDecoder(
    {
      provider: target.provider,
      translate(event) {
        const data = event.data as AnthropicStreamEvent | null;
        if (data === null || typeof data !== 'object' || typeof data.type !== 'string')
          return { malformed: true };
        if (data.type === 'message_stop') return { terminator: true };
        const result = translator.translate(data);
        return Array.isArray(result) ? result : { error: result.error };
      },
      toError: (error) => inStreamError(target.provider, error, [target.apiKey]),
    },
    options,
  );
}
