// Reads an OpenAI-style SSE body event by event with eventsource-parser, and knows whether it ended properly.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseOutcome {
  /** True when `data: [DONE]` arrived. */
  done: boolean;
}

/** Calls `onEvent` for each event of the body; resolves when the body ends. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: EventSourceMessage) => void,
): Promise<SseOutcome> {
  let done = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      onEvent(event);
    },
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  parser.feed(decoder.decode());
  return { done };
}
