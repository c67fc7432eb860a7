// Incremental SSE decoding on eventsource-parser: bytes in, parsed JSON events out, malformed lines reported.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
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
  return new EventSourceJsonDecoder(onMalformed);
}

// A class, not an object literal of closures: one lives for every stream in flight, and a literal with a getter
// is kept by V8 as a dictionary.
class EventSourceJsonDecoder implements SseJsonDecoder {
  malformedCount = 0;
  readonly #text = createUtf8Decoder();
  readonly #parser: EventSourceParser;
  readonly #onMalformed: ((raw: string, error: unknown) => void) | undefined;
  #pending: SseEvent[] = [];

  constructor(onMalformed: ((raw: string, error: unknown) => void) | undefined) {
    this.#onMalformed = onMalformed;
    this.#parser = createParser({ onEvent: (message) => this.#receive(message) });
  }

  push(bytes: Uint8Array | string): SseEvent[] {
    this.#parser.feed(typeof bytes === 'string' ? bytes : this.#text.write(bytes));
    return this.#drain();
  }

  end(): SseEvent[] {
    const rest = this.#text.end();
    // A blank line dispatches an event the upstream left unterminated when its connection ended.
    this.#parser.feed(`${rest}\n\n`);
    return this.#drain();
  }

  #receive(message: EventSourceMessage): void {
    if (message.data === '[DONE]') {
      this.#pending.push({ event: message.event, data: '[DONE]' });
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch (error) {
      this.malformedCount += 1;
      this.#onMalformed?.(message.data, error);
      return;
    }
    // Multi-line data would break SSE framing if sent on as it is: only single-line text is kept.
    if (!message.data.includes('\n')) rememberRawJson(data, message.data);
    this.#pending.push({ event: message.event, data });
  }

  #drain(): SseEvent[] {
    const out = this.#pending;
    this.#pending = [];
    return out;
  }
}
