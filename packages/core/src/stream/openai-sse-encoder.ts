// Writes canonical chunks as OpenAI SSE (`data: {...}`), chunk by chunk, ending with `[DONE]` or an error event.
import type { GwError } from '@gw/errors';
import { openAIErrorEvent } from '../ingress/error-format.ts';
import { takeRawJson } from '../translate/raw-json.ts';

const NULL_USAGE_TAIL = ',"usage":null}';

/** Structurally the pipeline's StreamEncoder: SSE text for a chunk, the terminator, an explicit error event. */
export interface CanonicalStreamEncoder {
  chunk(chunk: unknown): string;
  end(): string;
  error(error: GwError): string;
}

export interface OpenAISseEncoderOptions {
  /**
   * Whether the caller asked for `stream_options.include_usage`. gw always asks the upstream for usage (to
   * account for it); when the caller did not, the usage-only chunk and `usage` fields are left out. Default true.
   */
  includeUsage?: boolean;
}

export function createOpenAISseEncoder(options: OpenAISseEncoderOptions = {}): CanonicalStreamEncoder {
  const includeUsage = options.includeUsage ?? true;
  return {
    chunk(chunk) {
      // A chunk passed on as the upstream sent it goes out as its own text: no second serialisation per chunk.
      const raw = takeRawJson(chunk);
      if (includeUsage) return `data: ${raw ?? JSON.stringify(chunk)}\n\n`;
      const { usage, choices } = chunk as { usage?: unknown; choices?: unknown[] };
      if (Array.isArray(choices) && choices.length === 0) return '';
      if (raw !== undefined) {
        if (usage === undefined) return `data: ${raw}\n\n`;
        // With include_usage OpenAI ends every chunk with `"usage":null`; cut exactly that, else re-serialise.
        if (usage === null && raw.endsWith(NULL_USAGE_TAIL))
          return `data: ${raw.slice(0, -NULL_USAGE_TAIL.length)}}\n\n`;
      }
      // The copy without `usage` only here: an object rest per chunk cost about 0.5 µs on the common path.
      const { usage: _left, ...rest } = chunk as { usage?: unknown };
      return `data: ${JSON.stringify(rest)}\n\n`;
    },
    end: () => 'data: [DONE]\n\n',
    // No [DONE] after an error: a client must not mistake a truncated answer for a complete one.
    error: (error) => openAIErrorEvent(error),
  };
}
