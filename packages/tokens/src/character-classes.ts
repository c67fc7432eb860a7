// Unicode character classes the split patterns need, computed lazily per 256-code-point block.
import { unassignedInTiktoken } from './unicode-differences.ts';

/** Any letter (`\p{L}`). */
export const LETTER = 1;
/** Any number (`\p{N}`). */
export const NUMBER = 2;
/** Rust regex `\s` (Unicode White_Space), which differs from JavaScript's `\s` on U+0085 and U+FEFF. */
export const SPACE = 4;
/** o200k's "upper" set: Lu, Lt, Lm, Lo and M. */
export const UPPER = 8;
/** o200k's "lower" set: Ll, Lm, Lo and M. */
export const LOWER = 16;
/** `\r` or `\n`. */
export const NEWLINE = 32;
/** Set on the result of `classAt` when the character is a surrogate pair (two UTF-16 units). */
export const WIDE = 64;

const NOT_COMPUTED = 255;
const table = new Uint8Array(0x110000).fill(NOT_COMPUTED);

// tiktoken's `\s` is Rust's White_Space property.
const whiteSpace = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

const letterPattern = /^\p{L}$/u;
const numberPattern = /^\p{N}$/u;
const upperPattern = /^[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]$/u;
const lowerPattern = /^[\p{Ll}\p{Lm}\p{Lo}\p{M}]$/u;

function computeClass(codePoint: number): number {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return computeClass(0xfffd);
  if (unassignedInTiktoken(codePoint)) return whiteSpace.has(codePoint) ? SPACE : 0;
  const character = String.fromCodePoint(codePoint);
  let bits = 0;
  if (letterPattern.test(character)) bits |= LETTER;
  if (numberPattern.test(character)) bits |= NUMBER;
  if (whiteSpace.has(codePoint)) bits |= SPACE;
  if (upperPattern.test(character)) bits |= UPPER;
  if (lowerPattern.test(character)) bits |= LOWER;
  if (codePoint === 0x0a || codePoint === 0x0d) bits |= NEWLINE;
  return bits;
}

function fillBlock(codePoint: number): void {
  const start = codePoint & ~0xff;
  for (let point = start; point < start + 256; point++) table[point] = computeClass(point);
}

/** Class bits of one code point. */
export function classOfCodePoint(codePoint: number): number {
  let bits = table[codePoint] as number;
  if (bits === NOT_COMPUTED) {
    fillBlock(codePoint);
    bits = table[codePoint] as number;
  }
  return bits;
}

for (let point = 0; point < 256; point++) table[point] = computeClass(point);
const asciiTable = table.subarray(0, 128);
const replacementClass = computeClass(0xfffd);

/**
 * Class bits of the character starting at UTF-16 index `index`, plus `WIDE` for a surrogate pair.
 * A lone surrogate is classed as U+FFFD, as it becomes U+FFFD when the text is encoded to UTF-8.
 */
export function classAt(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  if (unit < 128) return asciiTable[unit] as number;
  if (unit < 0xd800 || unit > 0xdfff) return classOfCodePoint(unit);
  if (unit <= 0xdbff && index + 1 < text.length) {
    const low = text.charCodeAt(index + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      return classOfCodePoint(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000) | WIDE;
    }
  }
  return replacementClass;
}
