// Builds the tokenizers some models count with before their first request needs them.
import { resolveModel } from './count-tokens.ts';
import type { EncodingName } from './encoding-name.ts';
import { loadEncoding } from './encoding-registry.ts';

/**
 * Builds now the tokenizer of every encoding these models (or encoding names) count with, and returns those
 * encodings, each once. An encoding is otherwise built by the first count that needs it: o200k_base's table
 * takes tens of milliseconds of blocked event loop, paid by that request and every request queued behind it.
 * A gateway calls this with its configured models before it starts serving; built encodings are kept for the
 * life of the process, so a second call costs a lookup per name.
 */
export function prepareEncodings(modelsOrEncodings: Iterable<string>): EncodingName[] {
  const prepared = new Set<EncodingName>();
  for (const name of modelsOrEncodings) prepared.add(resolveModel(name).encoding);
  for (const encoding of prepared) loadEncoding(encoding);
  return [...prepared];
}
