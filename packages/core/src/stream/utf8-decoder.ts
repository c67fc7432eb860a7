// UTF-8 text from bytes that arrive in pieces: characters cut across pieces are joined, a leading byte-order mark is dropped.
import { StringDecoder } from 'node:string_decoder';

export interface Utf8Decoder {
  /** The text these bytes complete; a character cut off at their end waits for the next bytes. */
  write(bytes: Uint8Array): string;
  /** What is left, a cut-off character as U+FFFD. */
  end(): string;
}

/**
 * A `StringDecoder` costs half what a streaming `TextDecoder` does (no ICU converter to open per body). Unlike
 * `TextDecoder` it keeps a leading byte-order mark, which SSE says to ignore and `JSON.parse` rejects, so that is
 * dropped here.
 */
export function createUtf8Decoder(): Utf8Decoder {
  return new StringUtf8Decoder();
}

// A class, not a closure per method: one decoder lives for every stream in flight.
class StringUtf8Decoder implements Utf8Decoder {
  readonly #decoder = new StringDecoder('utf8');
  #first = true;

  write(bytes: Uint8Array): string {
    return this.#withoutMark(this.#decoder.write(bytes));
  }

  end(): string {
    return this.#withoutMark(this.#decoder.end());
  }

  #withoutMark(text: string): string {
    if (!this.#first || text === '') return text;
    this.#first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}
