// Incremental SSE decoding on eventsource-parser: bytes in, parsed JSON events out, malformed lines reported.
import { createParser } from 'eventsource-parser';
import { rememberRawJson } from '../translate/raw-json.ts';
import { createUtf8Decoder } from './utf8-decoder.ts';

export interface SseEvent {
  /** The `event:` field, when the upstream names its events (Anthropic). */
  event: string | undefined;
  data: unknown;
}

export interface SseJsonDecoder {
  /** Events completed by these bytes; `[DONE]` comes out as `{ event, data: '[DONE]' }`. */
  push(bytes: Uint8Array | string): SseEvent[];
  /** Flushes a final event the upstream did not terminate with a blank line. */
  end(): SseEvent[];
  readonly malformedCount: number;
}

export function createSseJsonDecoder(onMalformed?: (raw: string, error: unknown) => void): SseJsonDecoder {
  const text = createUtf8Decoder();
  let pending: SseEvent[] = [];
  let malformedCount = 0;
  const parser = createParser({
    onEvent(message) {
      if (message.data === '[DONE]') {
        pending.push({ event: message.event, data: '[DONE]' });
        return;
      }
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch (error) {
        malformedCount += 1;
        onMalformed?.(message.data, error);
        return;
      }
      // Multi-line data would break SSE framing if sent on as it is: only single-line text is kept.
      if (!message.data.includes('\n')) rememberRawJson(data, message.data);
      pending.push({ event: message.event, data });
    },
  });
  const drain = (): SseEvent[] => {
    const out = pending;
    pending = [];
    return out;
  };
  return {
    get malformedCount() {
      return malformedCount;
    },
    push(bytes) {
      parser.feed(typeof bytes === 'string' ? bytes : text.write(bytes));
      return drain();
    },
    end() {
      const rest = text.end();
      // A blank line dispatches an event the upstream left unterminated when its connection ended.
      parser.feed(`${rest}\n\n`);
      return drain();
    },
  };
}
