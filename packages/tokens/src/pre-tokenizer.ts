// Hand-written scanners equivalent to tiktoken's split regexes: each returns where the piece starting at `index` ends.
import { classAt, LETTER, LOWER, NEWLINE, NUMBER, SPACE, UPPER, WIDE } from './character-classes.ts';
import { HASH_MULTIPLIER } from './rank-table.ts';

/** Returns the end (exclusive UTF-16 index) of the piece that starts at `index`. */
export type PieceScanner = (text: string, index: number) => number;

function widthOf(bits: number): number {
  return bits & WIDE ? 2 : 1;
}

/** `[^\s\p{L}\p{N}]`: the class used by the punctuation alternatives. */
function isSymbol(bits: number): boolean {
  return (bits & (SPACE | LETTER | NUMBER)) === 0;
}

/** End of the run of characters that all have one of `wanted` bits. */
function runEnd(text: string, index: number, wanted: number): number {
  const length = text.length;
  let cursor = index;
  while (cursor < length) {
    const bits = classAt(text, cursor);
    if ((bits & wanted) === 0) break;
    cursor += widthOf(bits);
  }
  return cursor;
}

function symbolRunEnd(text: string, index: number): number {
  const length = text.length;
  let cursor = index;
  while (cursor < length) {
    const bits = classAt(text, cursor);
    if (!isSymbol(bits)) break;
    cursor += widthOf(bits);
  }
  return cursor;
}

function newlineRunEnd(text: string, index: number, allowSlash: boolean): number {
  const length = text.length;
  let cursor = index;
  while (cursor < length) {
    const unit = text.charCodeAt(cursor);
    if (unit === 10 || unit === 13 || (allowSlash && unit === 47)) cursor++;
    else break;
  }
  return cursor;
}

/** Up to `limit` code points of `\p{N}`. */
function numberRunEnd(text: string, index: number, limit: number): number {
  const length = text.length;
  let cursor = index;
  let taken = 0;
  while (cursor < length && taken < limit) {
    const bits = classAt(text, cursor);
    if ((bits & NUMBER) === 0) break;
    cursor += widthOf(bits);
    taken++;
  }
  return cursor;
}

/**
 * Length after the apostrophe at `index - 1` of `'s|'t|'re|'ve|'m|'ll|'d`, or 0.
 * Case-insensitive matching follows Rust's `(?i)`, where `s` also matches U+017F LATIN SMALL LETTER LONG S.
 */
function contractionLength(text: string, index: number, ignoreCase: boolean): number {
  if (index >= text.length) return 0;
  let first = text.charCodeAt(index);
  if (ignoreCase) {
    if (first === 0x17f) return 1;
    if (first >= 65 && first <= 90) first += 32;
  }
  if (first === 115 || first === 116 || first === 109 || first === 100) return 1; // s t m d
  if (first !== 114 && first !== 118 && first !== 108) return 0; // r v l
  if (index + 1 >= text.length) return 0;
  let second = text.charCodeAt(index + 1);
  if (ignoreCase && second >= 65 && second <= 90) second += 32;
  if (first === 108) return second === 108 ? 2 : 0; // ll
  return second === 101 ? 2 : 0; // re ve
}

/** `\s*[\r\n]+|\s+(?!\S)|\s+` at a whitespace character (the tail shared by cl100k and o200k). */
function whitespaceEnd(text: string, index: number, newlineRule: boolean): number {
  const length = text.length;
  let cursor = index;
  let lastNewline = -1;
  let count = 0;
  while (cursor < length) {
    const unit = text.charCodeAt(cursor);
    if (unit === 10 || unit === 13) lastNewline = cursor;
    else if ((classAt(text, cursor) & SPACE) === 0) break;
    cursor++; // every White_Space character is in the BMP
    count++;
  }
  if (newlineRule && lastNewline !== -1) return lastNewline + 1;
  if (cursor === length || count === 1) return cursor;
  return cursor - 1;
}

/** The ASCII fast path of ` ?\p{L}+` (r50k/p50k): only a space may precede the letters. */
function gpt2AsciiWordEnd(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  const letter = unit === 32 && index + 1 < text.length ? text.charCodeAt(index + 1) : unit;
  if (!((letter >= 65 && letter <= 90) || (letter >= 97 && letter <= 122))) return -1;
  return asciiWordEnd(text, index, false);
}

/** r50k_base and p50k_base: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`. */
export function scanGpt2(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  const asciiEnd = gpt2AsciiWordEnd(text, index);
  if (asciiEnd !== -1) return asciiEnd;
  if (unit === 39) {
    const contraction = contractionLength(text, index + 1, false);
    if (contraction > 0) return index + 1 + contraction;
  }
  let start = index;
  let bits = classAt(text, index);
  if (unit === 32 && index + 1 < text.length) {
    const next = classAt(text, index + 1);
    if ((next & SPACE) === 0) {
      start = index + 1;
      bits = next;
    }
  }
  if (bits & LETTER) return runEnd(text, start, LETTER);
  if (bits & NUMBER) return runEnd(text, start, NUMBER);
  if (isSymbol(bits)) return symbolRunEnd(text, start);
  return whitespaceEnd(text, index, false);
}

/**
 * The last ASCII word the fast path scanned, with the polynomial hash of its bytes, so the tokenizer can look it
 * up without re-reading it. Valid only for exactly this text, start and end.
 */
export const lastAsciiWord = { text: '', start: -1, end: -1, hash: 0 };

/**
 * Fast path for the common ASCII word: an optional prefix (any ASCII character but a letter, digit or newline),
 * then upper-case letters, then lower-case letters (`upperThenLower`, o200k) or any letters (cl100k). Returns -1
 * when the text leaves ASCII right after the word, or there is no word: the general scanner then decides.
 */
function asciiWordEnd(text: string, index: number, upperThenLower: boolean): number {
  const length = text.length;
  const unit = text.charCodeAt(index);
  let start = index;
  let hash = 0;
  if (!((unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122))) {
    if ((unit >= 48 && unit <= 57) || unit === 10 || unit === 13 || unit >= 128) return -1;
    start = index + 1;
    hash = unit;
  }
  let cursor = start;
  let code = cursor < length ? text.charCodeAt(cursor) : 0;
  if (upperThenLower) {
    while (code >= 65 && code <= 90) {
      hash = (Math.imul(hash, HASH_MULTIPLIER) + code) | 0;
      code = ++cursor < length ? text.charCodeAt(cursor) : 0;
    }
    while (code >= 97 && code <= 122) {
      hash = (Math.imul(hash, HASH_MULTIPLIER) + code) | 0;
      code = ++cursor < length ? text.charCodeAt(cursor) : 0;
    }
  } else {
    while ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
      hash = (Math.imul(hash, HASH_MULTIPLIER) + code) | 0;
      code = ++cursor < length ? text.charCodeAt(cursor) : 0;
    }
  }
  if (cursor === start || code >= 128) return -1;
  lastAsciiWord.text = text;
  lastAsciiWord.start = index;
  lastAsciiWord.end = cursor;
  lastAsciiWord.hash = hash;
  return cursor;
}

/** Extends the recorded ASCII word over an appended contraction, or forgets it when the contraction is not ASCII. */
function extendAsciiWord(text: string, from: number, end: number): void {
  let hash = lastAsciiWord.hash;
  for (let index = from; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128) {
      lastAsciiWord.start = -1;
      return;
    }
    hash = (Math.imul(hash, HASH_MULTIPLIER) + code) | 0;
  }
  lastAsciiWord.end = end;
  lastAsciiWord.hash = hash;
}

/** ASCII characters in `[^\s\p{L}\p{N}]`: punctuation, symbols and the controls that are not whitespace. */
function isAsciiSymbol(unit: number): boolean {
  if (unit >= 128 || unit === 32 || (unit >= 9 && unit <= 13)) return false;
  return !((unit >= 48 && unit <= 57) || (unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122));
}

/**
 * Fast path, tried after the word fast path failed: `\p{N}{1,3}` on ASCII digits, or
 * ` ?[^\s\p{L}\p{N}]+[\r\n]*` (with `/` in the tail for o200k) on ASCII symbols. Returns -1 whenever a
 * non-ASCII character could change the piece; the general scanner then decides.
 */
function asciiNumberOrSymbolEnd(text: string, index: number, allowSlash: boolean): number {
  const length = text.length;
  let unit = text.charCodeAt(index);
  if (unit >= 48 && unit <= 57) {
    let cursor = index + 1;
    while (cursor < length && cursor < index + 3) {
      const code = text.charCodeAt(cursor);
      if (code >= 48 && code <= 57) cursor++;
      else if (code >= 128) return -1;
      else break;
    }
    return cursor;
  }
  let cursor = index;
  if (unit === 32) {
    cursor++;
    unit = cursor < length ? text.charCodeAt(cursor) : 0;
  } else if (index + 1 < length) {
    // A symbol followed by a letter starts a word (the symbol is its prefix): the word alternatives decide.
    const next = text.charCodeAt(index + 1);
    if (next >= 128 || (next >= 65 && next <= 90) || (next >= 97 && next <= 122)) return -1;
  }
  if (!isAsciiSymbol(unit)) return -1;
  while (cursor < length) {
    const code = text.charCodeAt(cursor);
    if (isAsciiSymbol(code)) cursor++;
    else if (code >= 128) return -1;
    else break;
  }
  while (cursor < length) {
    const code = text.charCodeAt(cursor);
    if (code === 10 || code === 13 || (allowSlash && code === 47)) cursor++;
    else break;
  }
  return cursor;
}

/** cl100k_base: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`. */
export function scanCl100k(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  if (unit !== 39) {
    const end = asciiWordEnd(text, index, false);
    if (end !== -1) return end;
    const other = asciiNumberOrSymbolEnd(text, index, false);
    if (other !== -1) return other;
  } else {
    const contraction = contractionLength(text, index + 1, true);
    if (contraction > 0) return index + 1 + contraction;
  }
  const bits = classAt(text, index);
  if (bits & LETTER) return runEnd(text, index, LETTER);
  const width = widthOf(bits);
  const length = text.length;
  if ((bits & (NEWLINE | NUMBER)) === 0 && index + width < length && classAt(text, index + width) & LETTER) {
    return runEnd(text, index + width, LETTER);
  }
  if (bits & NUMBER) return numberRunEnd(text, index, 3);
  if (unit === 32 && index + 1 < length && isSymbol(classAt(text, index + 1))) {
    return newlineRunEnd(text, symbolRunEnd(text, index + 1), false);
  }
  if (isSymbol(bits)) return newlineRunEnd(text, symbolRunEnd(text, index), false);
  return whitespaceEnd(text, index, true);
}

/**
 * o200k's first word alternative from `start`: `[UPPER]*[LOWER]+`, with the backtracking the regex does when the
 * greedy upper run swallowed the characters that are in both sets. Returns -1 when it does not match.
 */
function o200kLowerWordEnd(text: string, start: number): number {
  const length = text.length;
  let cursor = start;
  let lastSharedEnd = -1;
  while (cursor < length) {
    const bits = classAt(text, cursor);
    if ((bits & UPPER) === 0) {
      if (bits & LOWER) return runEnd(text, cursor, LOWER);
      break;
    }
    cursor += widthOf(bits);
    if (bits & LOWER) lastSharedEnd = cursor;
  }
  return lastSharedEnd;
}

/** o200k's second word alternative from `start`: `[UPPER]+[LOWER]*`; -1 when it does not match. */
function o200kUpperWordEnd(text: string, start: number): number {
  const upperEnd = runEnd(text, start, UPPER);
  if (upperEnd === start) return -1;
  return runEnd(text, upperEnd, LOWER);
}

function withContraction(text: string, end: number): number {
  if (end < text.length && text.charCodeAt(end) === 39) {
    const contraction = contractionLength(text, end + 1, true);
    if (contraction > 0) return end + 1 + contraction;
  }
  return end;
}

/**
 * o200k_base: `[^\r\n\p{L}\p{N}]?[UPPER]*[LOWER]+(?i:'s|...)?|[^\r\n\p{L}\p{N}]?[UPPER]+[LOWER]*(?i:'s|...)?|
 * \p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`, where UPPER is Lu|Lt|Lm|Lo|M and LOWER is
 * Ll|Lm|Lo|M.
 */
export function scanO200k(text: string, index: number): number {
  const asciiEnd = asciiWordEnd(text, index, true);
  if (asciiEnd !== -1) {
    const end = withContraction(text, asciiEnd);
    if (end !== asciiEnd) extendAsciiWord(text, asciiEnd, end);
    return end;
  }
  const other = asciiNumberOrSymbolEnd(text, index, true);
  if (other !== -1) return other;
  const bits = classAt(text, index);
  const length = text.length;
  const canPrefix = (bits & (NEWLINE | LETTER | NUMBER)) === 0;
  const afterPrefix = index + widthOf(bits);
  if (
    bits & (UPPER | LOWER) ||
    (canPrefix && afterPrefix < length && classAt(text, afterPrefix) & (UPPER | LOWER))
  ) {
    let end = canPrefix ? o200kLowerWordEnd(text, afterPrefix) : -1;
    if (end === -1) end = o200kLowerWordEnd(text, index);
    if (end === -1 && canPrefix) end = o200kUpperWordEnd(text, afterPrefix);
    if (end === -1) end = o200kUpperWordEnd(text, index);
    if (end !== -1) return withContraction(text, end);
  }
  if (bits & NUMBER) return numberRunEnd(text, index, 3);
  const unit = text.charCodeAt(index);
  if (unit === 32 && index + 1 < length && isSymbol(classAt(text, index + 1))) {
    return newlineRunEnd(text, symbolRunEnd(text, index + 1), true);
  }
  if (isSymbol(bits)) return newlineRunEnd(text, symbolRunEnd(text, index), true);
  return whitespaceEnd(text, index, true);
}
