// Text-level API: count, encode and decode by model or encoding name, resolving each name once.
import { approximate } from './approximation.ts';
import { loadEncoding } from './encoding-registry.ts';
import { encodingForModel, type ModelEncoding } from './model-encoding.ts';
import type { Tokenizer } from './tokenizer.ts';
import { assertString, TokensError } from './tokens-error.ts';

const MAX_RESOLVED_NAMES = 1024;
const resolvedNames = new Map<string, ModelEncoding>();

/** `encodingForModel` memoised: gateways count for a handful of model names, millions of times. */
export function resolveModel(modelOrEncoding: string): ModelEncoding {
  let resolved = resolvedNames.get(modelOrEncoding);
  if (resolved === undefined) {
    if (typeof modelOrEncoding !== 'string') {
      throw new TokensError(
        'GW_ERR_TOKENS_INVALID_INPUT',
        `the model or encoding must be a string, got ${typeof modelOrEncoding}; pass e.g. 'gpt-4o' or 'cl100k_base'.`,
      );
    }
    resolved = encodingForModel(modelOrEncoding);
    if (resolvedNames.size >= MAX_RESOLVED_NAMES) resolvedNames.clear();
    resolvedNames.set(modelOrEncoding, resolved);
  }
  return resolved;
}

/** The process-wide tokenizer for a model's encoding (exact encoding; no approximation factor applied). */
export function getTokenizer(modelOrEncoding: string): Tokenizer {
  return loadEncoding(resolveModel(modelOrEncoding).encoding);
}

/** Exact tiktoken count for OpenAI models and encodings; a documented estimate for other models. */
export function countTokens(text: string, modelOrEncoding: string): number {
  assertString(text, 'text');
  const resolved = resolveModel(modelOrEncoding);
  const count = loadEncoding(resolved.encoding).count(text);
  return resolved.family === 'openai' ? count : approximate(count, resolved.family);
}

export function countTokensBatch(texts: readonly string[], modelOrEncoding: string): number[] {
  if (!Array.isArray(texts)) {
    throw new TokensError('GW_ERR_TOKENS_INVALID_INPUT', 'texts must be an array of strings.');
  }
  const resolved = resolveModel(modelOrEncoding);
  const tokenizer = loadEncoding(resolved.encoding);
  return texts.map((text: unknown, index) => {
    assertString(text, `texts[${index}]`);
    const count = tokenizer.count(text);
    return resolved.family === 'openai' ? count : approximate(count, resolved.family);
  });
}

/** Token ids as tiktoken's `encode(text, disallowed_special=())`: special-token text is ordinary text. */
export function encode(text: string, modelOrEncoding: string): number[] {
  assertString(text, 'text');
  return loadEncoding(resolveModel(modelOrEncoding).encoding).encode(text);
}

export function decode(tokens: readonly number[], modelOrEncoding: string): string {
  if (!Array.isArray(tokens)) {
    throw new TokensError('GW_ERR_TOKENS_INVALID_INPUT', 'tokens must be an array of token ids.');
  }
  return loadEncoding(resolveModel(modelOrEncoding).encoding).decode(tokens);
}
