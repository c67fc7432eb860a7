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

/** Decodes the compact rank text in one pass, without a string per token. */
export function buildRankTable(compact: CompactRanks): RankTable {
  const text = compact.bpe_ranks;
  // Base64 yields at most 3 bytes per 4 characters: an upper bound for the arena.
  const arena = new Uint8Array(Math.ceil((text.length * 3) / 4));
  const entries: number[] = []; // rank, offset, length triples
  let written = 0;
  let maxRank = -1;
  let maxTokenLength = 0;
  let position = 0;
  while (position < text.length) {
    let lineEnd = text.indexOf('\n', position);
    if (lineEnd === -1) lineEnd = text.length;
    const markerEnd = text.indexOf(' ', position);
    const rankEnd = text.indexOf(' ', markerEnd + 1);
    if (markerEnd === -1 || markerEnd > lineEnd) {
      position = lineEnd + 1;
      continue;
    }
    let rank = Number.parseInt(
      text.slice(markerEnd + 1, rankEnd === -1 || rankEnd > lineEnd ? lineEnd : rankEnd),
      10,
    );
    let cursor = rankEnd === -1 || rankEnd > lineEnd ? lineEnd : rankEnd + 1;
    while (cursor < lineEnd) {
      let tokenEnd = text.indexOf(' ', cursor);
      if (tokenEnd === -1 || tokenEnd > lineEnd) tokenEnd = lineEnd;
      const start = written;
      let buffer = 0;
      let bits = 0;
      for (let index = cursor; index < tokenEnd; index++) {
        const value = base64Values[text.charCodeAt(index)] as number;
        if (value < 0) continue; // '=' padding
        buffer = (buffer << 6) | value;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          arena[written++] = (buffer >>> bits) & 0xff;
        }
      }
      const length = written - start;
      entries.push(rank, start, length);
      if (rank > maxRank) maxRank = rank;
      if (length > maxTokenLength) maxTokenLength = length;
      rank++;
      cursor = tokenEnd + 1;
    }
    position = lineEnd + 1;
  }
  const bytes = arena.slice(0, written);
  const offsets = new Int32Array(maxRank + 1).fill(-1);
  const lengths = new Int32Array(maxRank + 1);
  const powers = new Int32Array(maxTokenLength + 1);
  powers[0] = 1;
  for (let index = 1; index <= maxTokenLength; index++) {
    powers[index] = Math.imul(powers[index - 1] as number, HASH_MULTIPLIER);
  }
  const count = entries.length / 3;
  let capacity = 1;
  while (capacity < count * 2) capacity <<= 1;
  const slots = new Int32Array(capacity).fill(-1);
  const mask = capacity - 1;
  for (let entry = 0; entry < entries.length; entry += 3) {
    const rank = entries[entry] as number;
    const start = entries[entry + 1] as number;
    const length = entries[entry + 2] as number;
    offsets[rank] = start;
    lengths[rank] = length;
    let hash = 0;
    for (let index = start; index < start + length; index++) {
      hash = (Math.imul(hash, HASH_MULTIPLIER) + (bytes[index] as number)) | 0;
    }
    let slot = slotOf(hash, mask);
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

/** Like `lookupRank` for an ASCII range of a string, compared without encoding it first. */
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
