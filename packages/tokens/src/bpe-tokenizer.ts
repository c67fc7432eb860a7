// The exact tiktoken-compatible tokenizer: scanner for pieces, whole-token lookup, cache, then byte-pair merging.
import { bytePairMerge, MergeScratch } from './byte-pair-merge.ts';
import type { EncodingName } from './encoding-name.ts';
import { MAX_CACHED_PIECE_BYTES, PieceCache } from './piece-cache.ts';
import { lastAsciiWord, type PieceScanner } from './pre-tokenizer.ts';
import { HASH_MULTIPLIER, lookupAsciiRank, lookupRank, NO_RANK, type RankTable } from './rank-table.ts';
import type { Tokenizer } from './tokenizer.ts';
import { TokensError } from './tokens-error.ts';

export interface BpeTokenizerOptions {
  readonly encoding: EncodingName;
  readonly table: RankTable;
  readonly scan: PieceScanner;
  /** Special token text by rank: only used by `decode`; encoding treats special-token text as ordinary text. */
  readonly specialTokens: Readonly<Record<string, number>>;
}

const textDecoder = new TextDecoder('utf-8');
const textEncoder = new TextEncoder();

export class BpeTokenizer implements Tokenizer {
  readonly encoding: EncodingName;
  private readonly table: RankTable;
  private readonly scan: PieceScanner;
  private readonly specialBytes = new Map<number, Uint8Array>();
  private readonly scratch = new MergeScratch();
  private readonly cache = new PieceCache();
  private readonly pieceTokens: number[] = [];
  private pieceBytes = new Uint8Array(1024);
  private pieceHash = 0;

  constructor(options: BpeTokenizerOptions) {
    this.encoding = options.encoding;
    this.table = options.table;
    this.scan = options.scan;
    for (const [text, rank] of Object.entries(options.specialTokens))
      this.specialBytes.set(rank, textEncoder.encode(text));
  }

  /** Rank lookups done by byte-pair merging since creation (a work counter for linear-time tests). */
  get mergeLookups(): number {
    return this.scratch.lookups;
  }

  count(text: string): number {
    const scan = this.scan;
    const table = this.table;
    const word = lastAsciiWord;
    const length = text.length;
    let total = 0;
    let index = 0;
    while (index < length) {
      const end = scan(text, index);
      // An ASCII word the scanner already hashed is looked up straight from the string.
      if (
        word.start === index &&
        word.end === end &&
        word.text === text &&
        end - index <= table.maxTokenLength &&
        lookupAsciiRank(table, text, index, end, word.hash) !== NO_RANK
      ) {
        total++;
      } else {
        total += this.countPiece(text, index, end);
      }
      index = end;
    }
    word.text = '';
    this.releaseLargeBuffer();
    return total;
  }

  encode(text: string): number[] {
    const scan = this.scan;
    const output: number[] = [];
    const length = text.length;
    let index = 0;
    while (index < length) {
      const end = scan(text, index);
      this.encodePiece(text, index, end, output);
      index = end;
    }
    lastAsciiWord.text = ''; // the scanner's record must not keep a large text alive
    this.releaseLargeBuffer();
    return output;
  }

  decode(tokens: readonly number[]): string {
    const { offsets, lengths, bytes } = this.table;
    let total = 0;
    for (const token of tokens) total += this.tokenLength(token);
    const buffer = new Uint8Array(total);
    let written = 0;
    for (const token of tokens) {
      const offset = token < offsets.length ? (offsets[token] as number) : -1;
      if (offset >= 0) {
        const length = lengths[token] as number;
        buffer.set(bytes.subarray(offset, offset + length), written);
        written += length;
      } else {
        const special = this.specialBytes.get(token) as Uint8Array;
        buffer.set(special, written);
        written += special.length;
      }
    }
    return textDecoder.decode(buffer);
  }

  /** A buffer grown for one huge piece is not kept: memory stays bounded between calls. */
  private releaseLargeBuffer(): void {
    if (this.pieceBytes.length > 1 << 18) this.pieceBytes = new Uint8Array(1024);
  }

  private tokenLength(token: unknown): number {
    if (typeof token === 'number' && Number.isInteger(token) && token >= 0) {
      if (token < this.table.offsets.length && (this.table.offsets[token] as number) >= 0) {
        return this.table.lengths[token] as number;
      }
      const special = this.specialBytes.get(token);
      if (special !== undefined) return special.length;
    }
    throw new TokensError(
      'GW_ERR_TOKENS_INVALID_INPUT',
      `${String(token)} is not a token of ${this.encoding}; decode only tokens this encoding produced.`,
    );
  }

  private countPiece(text: string, start: number, end: number): number {
    const length = this.writePiece(text, start, end);
    if (length === 1) return 1;
    const table = this.table;
    const bytes = this.pieceBytes;
    const hash = this.pieceHash;
    if (length <= table.maxTokenLength && lookupRank(table, bytes, 0, length, hash) !== NO_RANK) return 1;
    if (length > MAX_CACHED_PIECE_BYTES)
      return bytePairMerge(table, bytes, length, this.scratch, HASH_MULTIPLIER, null);
    const entry = this.cache.find(bytes, length, hash);
    if (entry !== -1) return this.cache.countOf(entry);
    const tokens = this.pieceTokens;
    tokens.length = 0;
    const count = bytePairMerge(table, bytes, length, this.scratch, HASH_MULTIPLIER, tokens);
    this.cache.insert(bytes, length, hash, tokens, 0);
    return count;
  }

  private encodePiece(text: string, start: number, end: number, output: number[]): void {
    const length = this.writePiece(text, start, end);
    const table = this.table;
    const bytes = this.pieceBytes;
    const hash = this.pieceHash;
    if (length <= table.maxTokenLength) {
      const rank = lookupRank(table, bytes, 0, length, hash);
      if (rank !== NO_RANK) {
        output.push(rank);
        return;
      }
    }
    if (length > MAX_CACHED_PIECE_BYTES) {
      bytePairMerge(table, bytes, length, this.scratch, HASH_MULTIPLIER, output);
      return;
    }
    const entry = this.cache.find(bytes, length, hash);
    if (entry !== -1) {
      this.cache.appendTokens(entry, output);
      return;
    }
    const from = output.length;
    bytePairMerge(table, bytes, length, this.scratch, HASH_MULTIPLIER, output);
    this.cache.insert(bytes, length, hash, output, from);
  }

  /**
   * Writes the UTF-8 bytes of `text[start, end)` into `pieceBytes` and their hash into `pieceHash`; returns the
   * byte length. Lone surrogates become U+FFFD, as in TextEncoder and in tiktoken's string conversion.
   */
  private writePiece(text: string, start: number, end: number): number {
    if (this.pieceBytes.length < (end - start) * 3) this.pieceBytes = new Uint8Array((end - start) * 3 + 16);
    const bytes = this.pieceBytes;
    let hash = 0;
    let index = start;
    // Most pieces are ASCII: a tight loop for them, and the general one from the first other character.
    for (; index < end; index++) {
      const code = text.charCodeAt(index);
      if (code >= 0x80) return this.writeNonAscii(text, index, end, index - start, hash);
      bytes[index - start] = code;
      hash = (Math.imul(hash, HASH_MULTIPLIER) + code) | 0;
    }
    this.pieceHash = hash;
    return end - start;
  }

  private writeNonAscii(
    text: string,
    from: number,
    end: number,
    writtenSoFar: number,
    hashSoFar: number,
  ): number {
    const bytes = this.pieceBytes;
    let hash = hashSoFar;
    let written = writtenSoFar;
    for (let index = from; index < end; index++) {
      let code = text.charCodeAt(index);
      if (code < 0x80) {
        bytes[written++] = code;
        hash = (Math.imul(hash, HASH_MULTIPLIER) + code) | 0;
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const low = index + 1 < end ? text.charCodeAt(index + 1) : 0;
        if (code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
          code = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          index++;
        } else {
          code = 0xfffd;
        }
      }
      const first = written;
      if (code < 0x800) {
        bytes[written++] = 0xc0 | (code >> 6);
        bytes[written++] = 0x80 | (code & 0x3f);
      } else if (code < 0x10000) {
        bytes[written++] = 0xe0 | (code >> 12);
        bytes[written++] = 0x80 | ((code >> 6) & 0x3f);
        bytes[written++] = 0x80 | (code & 0x3f);
      } else {
        bytes[written++] = 0xf0 | (code >> 18);
        bytes[written++] = 0x80 | ((code >> 12) & 0x3f);
        bytes[written++] = 0x80 | ((code >> 6) & 0x3f);
        bytes[written++] = 0x80 | (code & 0x3f);
      }
      for (let byte = first; byte < written; byte++) {
        hash = (Math.imul(hash, HASH_MULTIPLIER) + (bytes[byte] as number)) | 0;
      }
    }
    this.pieceHash = hash;
    return written;
  }
}
