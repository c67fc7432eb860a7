// The tiktoken encodings @gw/tokens knows.

export type EncodingName = 'cl100k_base' | 'o200k_base' | 'p50k_base' | 'r50k_base';

export const encodingNames: readonly EncodingName[] = ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base'];

export function isEncodingName(value: string): value is EncodingName {
  return (encodingNames as readonly string[]).includes(value);
}
