// The mergeable ranks of one encoding: token bytes in one arena and an open-addressing hash from bytes to rank.

/** Multiplier of the polynomial byte hash; the hash of a concatenation is computable from its parts. */
export const HASH_MULTIPLIER = 0x9e3779b1 | 0;
export const NO_RANK = 0x7fffffff;

export interface RankTable {
  /** All token bytes, token after token. */
  readonly bytes: Uint8Array;
  /** `offsets[rank]` is where the token starts in `bytes`; -1 for ranks that are not mergeable tokens. */
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
  /** Longest token in bytes: longer byte ranges are never tokens. */
  readonly maxTokenLength: number;
  /** `powers[n]` is HASH_MULTIPLIER^n (mod 2^32), for n up to maxTokenLength. */
  readonly powers: Int32Array;
  readonly slots: Int32Array;
  readonly mask: number;
  readonly size: number;
}

/** js-tiktoken's compact rank format: lines of `<marker> <first rank> <base64 token> <base64 token> ...`. */
export interface CompactRanks {
  readonly bpe_ranks: string;
}

const base64Values = new Int8Array(128).fill(-1);
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let index = 0; index < alphabet.length; index++) base64Values[alphabet.charCodeAt(index)] = index;

/** Mixes the polynomial hash so that nearby values spread over the table. */
export function slotOf(hash: number, mask: number): number {
  const mixed = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  return (mixed ^ (mixed >>> 16)) & mask;
}

/** Decodes the compact rank text in one pass over its characters, without a string per token. */
export function buildRankTable(compact: CompactRanks): RankTable {
  const text = compact.bpe_ranks;
  const textLength = text.length;
  // Base64 yields at most 3 bytes per 4 characters: an upper bound for the arena.
  const arena = new Uint8Array(Math.ceil((textLength * 3) / 4));
  let capacity = 1 << 16;
  let ranks = new Int32Array(capacity);
  let starts = new Int32Array(capacity);
  let hashes = new Int32Array(capacity);
  let count = 0;
  let written = 0;
  let maxRank = -1;
  let maxTokenLength = 0;
  let position = 0;
  while (position < textLength) {
    // A line: `<marker> <first rank> <token> <token> ...`.
    const markerEnd = text.indexOf(' ', position);
    let lineEnd = text.indexOf('\n', position);
    if (lineEnd === -1) lineEnd = textLength;
    if (markerEnd === -1 || markerEnd > lineEnd) {
      position = lineEnd + 1;
      continue;
    }
    let cursor = markerEnd + 1;
    let rank = 0;
    for (; cursor < lineEnd; cursor++) {
      const digit = text.charCodeAt(cursor) - 48;
      if (digit < 0 || digit > 9) break;
      rank = rank * 10 + digit;
    }
    cursor++;
    while (cursor < lineEnd) {
      const start = written;
      let buffer = 0;
      let bits = 0;
      let hash = 0;
      for (; cursor < lineEnd; cursor++) {
        const unit = text.charCodeAt(cursor);
        if (unit === 32) break;
        const value = base64Values[unit] as number;
        if (value < 0) continue; // '=' padding
        buffer = ((buffer << 6) | value) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          const byte = (buffer >>> bits) & 0xff;
          arena[written++] = byte;
          hash = (Math.imul(hash, HASH_MULTIPLIER) + byte) | 0;
        }
      }
      cursor++;
      if (count === capacity) {
        capacity *= 2;
        const grow = (array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
          const grown = new Int32Array(capacity);
          grown.set(array);
          return grown;
        };
        ranks = grow(ranks);
        starts = grow(starts);
        hashes = grow(hashes);
      }
      ranks[count] = rank;
      starts[count] = start;
      hashes[count] = hash;
      count++;
      const length = written - start;
      if (rank > maxRank) maxRank = rank;
      if (length > maxTokenLength) maxTokenLength = length;
      rank++;
    }
    position = lineEnd + 1;
  }
  const bytes = arena.subarray(0, written); // no copy: the unused tail is small
  const offsets = new Int32Array(maxRank + 1).fill(-1);
  const lengths = new Int32Array(maxRank + 1);
  const powers = new Int32Array(maxTokenLength + 1);
  powers[0] = 1;
  for (let index = 1; index <= maxTokenLength; index++) {
    powers[index] = Math.imul(powers[index - 1] as number, HASH_MULTIPLIER);
  }
  let slotCount = 1;
  while (slotCount < count * 2) slotCount <<= 1;
  const slots = new Int32Array(slotCount).fill(-1);
  const mask = slotCount - 1;
  for (let entry = 0; entry < count; entry++) {
    const rank = ranks[entry] as number;
    const start = starts[entry] as number;
    offsets[rank] = start;
    lengths[rank] = (entry + 1 < count ? (starts[entry + 1] as number) : written) - start;
    let slot = slotOf(hashes[entry] as number, mask);
    while (slots[slot] !== -1) slot = (slot + 1) & mask;
    slots[slot] = rank;
  }
  return { bytes, offsets, lengths, maxTokenLength, powers, slots, mask, size: count };
}

/**
 * Rank of `source[start, end)` given its polynomial hash, or NO_RANK.
 * The caller guarantees `end - start <= maxTokenLength`.
 */
export function lookupRank(
  table: RankTable,
  source: Uint8Array,
  start: number,
  end: number,
  hash: number,
): number {
  const { slots, mask, bytes, offsets, lengths } = table;
  const length = end - start;
  let slot = slotOf(hash, mask);
  for (;;) {
    const rank = slots[slot] as number;
    if (rank === -1) return NO_RANK;
    if (lengths[rank] === length) {
      const offset = offsets[rank] as number;
      let index = 0;
      while (index < length && bytes[offset + index] === source[start + index]) index++;
      if (index === length) return rank;
    }
    slot = (slot + 1) & mask;
  }
}

/**
 * Like `lookupRank` for an ASCII range of a string, compared without encoding it first. A copy on purpose: one
 * shared loop taking a byte reader would be megamorphic on the hottest path of counting.
 */
export function lookupAsciiRank(
  table: RankTable,
  text: string,
  start: number,
  end: number,
  hash: number,
): number {
  const { slots, mask, bytes, offsets, lengths } = table;
  const length = end - start;
  let slot = slotOf(hash, mask);
  for (;;) {
    const rank = slots[slot] as number;
    if (rank === -1) return NO_RANK;
    if (lengths[rank] === length) {
      const offset = offsets[rank] as number;
      let index = 0;
      while (index < length && bytes[offset + index] === text.charCodeAt(start + index)) index++;
      if (index === length) return rank;
    }
    slot = (slot + 1) & mask;
  }
}
