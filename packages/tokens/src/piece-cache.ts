// A bounded cache from a piece's bytes to its tokens, so repeated words skip byte-pair merging.
import { slotOf } from './rank-table.ts';

/** Pieces longer than this are not cached: they are rare and would crowd out the common short ones. */
export const MAX_CACHED_PIECE_BYTES = 64;

/**
 * Open addressing over typed arrays: no per-entry objects, so memory is fixed at construction whatever the input.
 * When full it is emptied at once; repeated words refill it within a few hundred pieces.
 */
export class PieceCache {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly keyOffsets: Int32Array;
  private readonly keyLengths: Int32Array;
  private readonly valueOffsets: Int32Array;
  private readonly valueLengths: Int32Array;
  private readonly keys: Uint8Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private readonly capacity: number;
  private entries = 0;
  private keyBytesUsed = 0;
  private valuesUsed = 0;

  constructor(capacity = 16_384) {
    let slotCount = 1;
    while (slotCount < capacity * 2) slotCount <<= 1;
    this.capacity = capacity;
    this.mask = slotCount - 1;
    this.slots = new Int32Array(slotCount).fill(-1);
    this.hashes = new Int32Array(capacity);
    this.keyOffsets = new Int32Array(capacity);
    this.keyLengths = new Int32Array(capacity);
    this.valueOffsets = new Int32Array(capacity);
    this.valueLengths = new Int32Array(capacity);
    this.keys = new Uint8Array(capacity * 16);
    this.values = new Int32Array(capacity * 8);
  }

  /** Entry index of the piece, or -1. */
  find(source: Uint8Array, length: number, hash: number): number {
    let slot = slotOf(hash, this.mask);
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === -1) return -1;
      if (this.hashes[entry] === hash && this.keyLengths[entry] === length) {
        const offset = this.keyOffsets[entry] as number;
        let index = 0;
        while (index < length && this.keys[offset + index] === source[index]) index++;
        if (index === length) return entry;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  countOf(entry: number): number {
    return this.valueLengths[entry] as number;
  }

  appendTokens(entry: number, output: number[]): void {
    const offset = this.valueOffsets[entry] as number;
    const end = offset + (this.valueLengths[entry] as number);
    for (let index = offset; index < end; index++) output.push(this.values[index] as number);
  }

  /** Stores the piece's tokens (`tokens[from, tokens.length)`). */
  insert(source: Uint8Array, length: number, hash: number, tokens: readonly number[], from: number): void {
    const count = tokens.length - from;
    if (
      this.entries === this.capacity ||
      this.keyBytesUsed + length > this.keys.length ||
      this.valuesUsed + count > this.values.length
    ) {
      this.clear();
    }
    const entry = this.entries++;
    this.hashes[entry] = hash;
    this.keyOffsets[entry] = this.keyBytesUsed;
    this.keyLengths[entry] = length;
    this.keys.set(source.subarray(0, length), this.keyBytesUsed);
    this.keyBytesUsed += length;
    this.valueOffsets[entry] = this.valuesUsed;
    this.valueLengths[entry] = count;
    for (let index = from; index < tokens.length; index++)
      this.values[this.valuesUsed++] = tokens[index] as number;
    let slot = slotOf(hash, this.mask);
    while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry;
  }

  clear(): void {
    this.slots.fill(-1);
    this.entries = 0;
    this.keyBytesUsed = 0;
    this.valuesUsed = 0;
  }

  get size(): number {
    return this.entries;
  }
}
