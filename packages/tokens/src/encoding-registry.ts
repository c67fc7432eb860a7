// Loads each encoding once per process, on first use, from js-tiktoken's rank files.
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { BpeTokenizer } from './bpe-tokenizer.ts';
import type { EncodingName } from './encoding-name.ts';
import { type PieceScanner, scanCl100k, scanGpt2, scanO200k } from './pre-tokenizer.ts';
import { buildRankTable } from './rank-table.ts';

interface RankFile {
  readonly bpe_ranks: string;
  readonly special_tokens: Record<string, number>;
}

type Require = ReturnType<typeof createRequire>;

// Literal specifiers so bundlers can see them; the rank files are CommonJS, hence a synchronous require.
const rankFiles: Record<EncodingName, (requireRanks: Require) => RankFile> = {
  cl100k_base: (requireRanks) => requireRanks('js-tiktoken/ranks/cl100k_base') as RankFile,
  o200k_base: (requireRanks) => requireRanks('js-tiktoken/ranks/o200k_base') as RankFile,
  p50k_base: (requireRanks) => requireRanks('js-tiktoken/ranks/p50k_base') as RankFile,
  r50k_base: (requireRanks) => requireRanks('js-tiktoken/ranks/r50k_base') as RankFile,
};

const scanners: Record<EncodingName, PieceScanner> = {
  cl100k_base: scanCl100k,
  o200k_base: scanO200k,
  p50k_base: scanGpt2,
  r50k_base: scanGpt2,
};

const loaded = new Map<EncodingName, BpeTokenizer>();

/**
 * The rank text is read once, into the table. Left in the require cache, it (about 2.3 M characters for
 * o200k_base) and its module's source would stay in the heap for the life of the process. The require that
 * loaded it is one of its own for the same reason: a require's module lists every module it loaded as its
 * children, so a long-lived one would keep the rank file reachable after the cache let go.
 */
function forgetRankFile(requireRanks: Require, name: EncodingName): void {
  const cache = requireRanks.cache;
  for (const path of Object.keys(cache)) {
    if (path.includes('js-tiktoken') && path.includes(`ranks${sep}${name}.`)) delete cache[path];
  }
}

/** The process-wide tokenizer of one encoding, built on first call. */
export function loadEncoding(name: EncodingName): BpeTokenizer {
  let tokenizer = loaded.get(name);
  if (tokenizer === undefined) {
    const requireRanks = createRequire(import.meta.url);
    const file = rankFiles[name](requireRanks);
    tokenizer = new BpeTokenizer({
      encoding: name,
      table: buildRankTable(file),
      scan: scanners[name],
      specialTokens: file.special_tokens,
    });
    forgetRankFile(requireRanks, name);
    loaded.set(name, tokenizer);
  }
  return tokenizer;
}

/** The encodings whose tokenizers this process has built so far, in the order they were built. */
export function loadedEncodings(): EncodingName[] {
  return [...loaded.keys()];
}
