// Byte-pair merging of one piece, exactly as tiktoken does it: repeatedly merge the lowest-ranked adjacent pair, leftmost first.
import { lookupRank, NO_RANK, type RankTable } from './rank-table.ts';

/** Pieces up to this many bytes use the quadratic scan (fastest when short); longer ones use a heap. */
export const HEAP_THRESHOLD = 48;

/** Buffers longer than this are released after use rather than kept for the next call. */
const RETAINED_LENGTH = 1 << 16;

/** Reusable buffers for merging; grown on demand, so one instance per tokenizer serves every call. */
export class MergeScratch {
  /** `prefixHashes[i]` is the polynomial hash of the first `i` bytes of the piece. */
  prefixHashes = new Int32Array(256);
  starts = new Int32Array(256);
  ranks = new Int32Array(256);
  next = new Int32Array(0);
  previous = new Int32Array(0);
  heap = new Float64Array(0);
  /** Work counter: rank lookups done, for tests that check merges stay near-linear. */
  lookups = 0;

  /** Drops buffers grown for one huge piece, so memory returns to its small baseline after adversarial input. */
  shrink(): void {
    if (this.prefixHashes.length > RETAINED_LENGTH) {
      this.prefixHashes = new Int32Array(256);
      this.starts = new Int32Array(256);
      this.ranks = new Int32Array(256);
    }
    if (this.next.length > RETAINED_LENGTH) {
      this.next = new Int32Array(0);
      this.previous = new Int32Array(0);
      this.heap = new Float64Array(0);
    }
  }

  ensure(length: number): void {
    if (this.prefixHashes.length <= length + 1) {
      const size = Math.max(length + 2, this.prefixHashes.length * 2);
      this.prefixHashes = new Int32Array(size);
      this.starts = new Int32Array(size);
      this.ranks = new Int32Array(size);
    }
  }
}

function rankOfRange(
  table: RankTable,
  source: Uint8Array,
  scratch: MergeScratch,
  start: number,
  end: number,
): number {
  const length = end - start;
  if (length > table.maxTokenLength) return NO_RANK;
  scratch.lookups++;
  const prefix = scratch.prefixHashes;
  const hash =
    ((prefix[end] as number) - Math.imul(prefix[start] as number, table.powers[length] as number)) | 0;
  return lookupRank(table, source, start, end, hash);
}

function computePrefixHashes(
  source: Uint8Array,
  length: number,
  scratch: MergeScratch,
  multiplier: number,
): void {
  const prefix = scratch.prefixHashes;
  let hash = 0;
  prefix[0] = 0;
  for (let index = 0; index < length; index++) {
    hash = (Math.imul(hash, multiplier) + (source[index] as number)) | 0;
    prefix[index + 1] = hash;
  }
}

/**
 * Merges `source[0, length)` and returns the token count; when `output` is given, appends the token ranks to it.
 * The bytes must not be a single token (the caller checks that first).
 */
export function bytePairMerge(
  table: RankTable,
  source: Uint8Array,
  length: number,
  scratch: MergeScratch,
  multiplier: number,
  output: number[] | null,
): number {
  scratch.ensure(length);
  computePrefixHashes(source, length, scratch, multiplier);
  if (length <= HEAP_THRESHOLD) return mergeByScan(table, source, length, scratch, output);
  const count = mergeByHeap(table, source, length, scratch, output);
  scratch.shrink();
  return count;
}

function mergeByScan(
  table: RankTable,
  source: Uint8Array,
  length: number,
  scratch: MergeScratch,
  output: number[] | null,
): number {
  const starts = scratch.starts;
  const ranks = scratch.ranks;
  // Parts are [starts[i], starts[i + 1]); ranks[i] is the rank of merging part i with part i + 1.
  let parts = length + 1;
  for (let index = 0; index <= length; index++) starts[index] = index;
  for (let index = 0; index + 2 <= length; index++)
    ranks[index] = rankOfRange(table, source, scratch, index, index + 2);
  ranks[length - 1] = NO_RANK;
  ranks[length] = NO_RANK;
  for (;;) {
    let minimum = NO_RANK;
    let at = -1;
    for (let index = 0; index < parts - 1; index++) {
      const rank = ranks[index] as number;
      if (rank < minimum) {
        minimum = rank;
        at = index;
      }
    }
    if (at === -1) break;
    if (at > 0) {
      ranks[at - 1] =
        at + 2 < parts
          ? rankOfRange(table, source, scratch, starts[at - 1] as number, starts[at + 2] as number)
          : NO_RANK;
    }
    ranks[at] =
      at + 3 < parts
        ? rankOfRange(table, source, scratch, starts[at] as number, starts[at + 3] as number)
        : NO_RANK;
    starts.copyWithin(at + 1, at + 2, parts);
    ranks.copyWithin(at + 1, at + 2, parts);
    parts--;
  }
  if (output !== null) {
    for (let index = 0; index < parts - 1; index++) {
      output.push(rankOfRange(table, source, scratch, starts[index] as number, starts[index + 1] as number));
    }
  }
  return parts - 1;
}

const RANK_SCALE = 4294967296;

/** Restores the heap order below `parent` (keys are rank * 2^32 + start, so ties go to the leftmost pair). */
function siftDown(heap: Float64Array, size: number, from: number): void {
  const key = heap[from] as number;
  let parent = from;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size && (heap[right] as number) < (heap[child] as number)) child = right;
    const childKey = heap[child] as number;
    if (childKey >= key) break;
    heap[parent] = childKey;
    parent = child;
  }
  heap[parent] = key;
}

function siftUp(heap: Float64Array, from: number): void {
  const key = heap[from] as number;
  let child = from;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    const parentKey = heap[parent] as number;
    if (parentKey <= key) break;
    heap[child] = parentKey;
    child = parent;
  }
  heap[child] = key;
}

/** O(n log n) merging for long pieces: a linked list of parts and a min-heap keyed by (rank, start). */
function mergeByHeap(
  table: RankTable,
  source: Uint8Array,
  length: number,
  scratch: MergeScratch,
  output: number[] | null,
): number {
  // Each merge removes one part and queues at most two pairs, so 3n slots always suffice.
  if (scratch.next.length < length + 1 || scratch.heap.length < 3 * length) {
    scratch.next = new Int32Array(length + 1);
    scratch.previous = new Int32Array(length + 1);
    scratch.heap = new Float64Array(3 * length);
  }
  const next = scratch.next;
  const previous = scratch.previous;
  // pairRanks reuses `ranks`: the rank of merging the part starting here with its successor, -1 for dead parts.
  const pairRanks = scratch.ranks;
  const heap = scratch.heap;
  let heapSize = 0;
  for (let index = 0; index < length; index++) {
    next[index] = index + 1;
    previous[index] = index - 1;
    const rank = index + 2 <= length ? rankOfRange(table, source, scratch, index, index + 2) : NO_RANK;
    pairRanks[index] = rank;
    if (rank !== NO_RANK) heap[heapSize++] = rank * RANK_SCALE + index;
  }
  for (let parent = (heapSize >> 1) - 1; parent >= 0; parent--) siftDown(heap, heapSize, parent);
  let parts = length;
  while (heapSize > 0) {
    const key = heap[0] as number;
    heapSize--;
    if (heapSize > 0) {
      heap[0] = heap[heapSize] as number;
      siftDown(heap, heapSize, 0);
    }
    const rank = Math.floor(key / RANK_SCALE);
    const start = key - rank * RANK_SCALE;
    if (pairRanks[start] !== rank) continue; // stale: the pair changed since it was queued
    const absorbed = next[start] as number;
    const after = next[absorbed] as number;
    next[start] = after;
    if (after < length) previous[after] = start;
    pairRanks[absorbed] = -1;
    parts--;
    const merged =
      after < length ? rankOfRange(table, source, scratch, start, next[after] as number) : NO_RANK;
    pairRanks[start] = merged;
    if (merged !== NO_RANK) {
      heap[heapSize] = merged * RANK_SCALE + start;
      siftUp(heap, heapSize++);
    }
    const before = previous[start] as number;
    if (before >= 0) {
      const left = rankOfRange(table, source, scratch, before, after);
      pairRanks[before] = left;
      if (left !== NO_RANK) {
        heap[heapSize] = left * RANK_SCALE + before;
        siftUp(heap, heapSize++);
      }
    }
  }
  if (output !== null) {
    for (let start = 0; start < length; start = next[start] as number) {
      output.push(rankOfRange(table, source, scratch, start, next[start] as number));
    }
  }
  return parts;
}
