// Where a UTF-8 text may be cut so that counting the parts separately gives exactly the whole text's count.
//
// tiktoken's pre-tokenizer regexes (cl100k, o200k, gpt2) have no look-behind, so the piece found at a position
// depends only on the text from there on. A position is a safe cut when it is a piece boundary in the whole text:
// a space or newline right after a letter or digit qualifies, because every alternative that can hold a letter or
// digit ends at it (the optional leading symbol or space sits at a piece's start), while a symbol before a newline
// does not (`[^\s\p{L}\p{N}]+[\r\n]*` glues them) and a mark before it is ambiguous (o200k counts marks as letters).

const SPACE = 0x20;
const NEWLINE = 0x0a;
const letterOrDigit = /^[\p{L}\p{N}]$/u;

/** Decodes the code point that ends just before `end` (UTF-8), or undefined if the bytes are not valid there. */
function codePointBefore(bytes: Uint8Array, end: number): string | undefined {
  let start = end - 1;
  // Step back over continuation bytes (10xxxxxx) to the lead byte; a code point has at most four bytes.
  while (start > 0 && end - start < 4 && (bytes[start]! & 0xc0) === 0x80) start--;
  const lead = bytes[start];
  if (lead === undefined) return undefined;
  const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (length !== end - start) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString('utf8');
}

/** True when cutting `bytes` right before index `at` keeps token counts exact. */
export function isSafeCut(bytes: Uint8Array, at: number): boolean {
  if (at <= 0 || at >= bytes.length) return false;
  const byte = bytes[at];
  if (byte !== SPACE && byte !== NEWLINE) return false;
  const previous = bytes[at - 1]!;
  // Fast path for ASCII letters and digits.
  if (previous < 0x80) {
    return (previous >= 0x30 && previous <= 0x39) || ((previous | 0x20) >= 0x61 && (previous | 0x20) <= 0x7a);
  }
  const character = codePointBefore(bytes, at);
  return character !== undefined && letterOrDigit.test(character);
}

/**
 * Cuts `bytes` into parts of roughly `targetSize` bytes at safe cuts, preferring a newline, returned as
 * [start, end) ranges that cover the input. A part grows past the target until a safe cut appears.
 */
export function splitForCounting(bytes: Uint8Array, targetSize: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let start = 0;
  while (start < bytes.length) {
    let cut = start + targetSize;
    if (cut >= bytes.length) {
      parts.push([start, bytes.length]);
      break;
    }
    let spaceCut = -1;
    while (cut < bytes.length) {
      if (bytes[cut] === NEWLINE && isSafeCut(bytes, cut)) break;
      // Remember the first safe space; use it if no safe newline comes within a further target's length.
      if (spaceCut < 0 && bytes[cut] === SPACE && isSafeCut(bytes, cut)) spaceCut = cut;
      if (spaceCut >= 0 && cut - spaceCut > targetSize) {
        cut = spaceCut;
        break;
      }
      cut++;
    }
    if (cut >= bytes.length && spaceCut >= 0) cut = spaceCut;
    parts.push([start, cut]);
    start = cut;
  }
  return parts;
}
