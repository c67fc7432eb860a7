// The Tokenizer interface: one encoding's exact count, encode and decode.
import type { EncodingName } from './encoding-name.ts';

export interface Tokenizer {
  readonly encoding: EncodingName;
  /** Number of tokens `text` encodes to, without building the token array. */
  count(text: string): number;
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
}
