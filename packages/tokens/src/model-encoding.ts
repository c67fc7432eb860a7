// Model name to encoding, by prefix as tiktoken does, with a documented estimate for anything else.
import { type EncodingName, isEncodingName } from './encoding-name.ts';

export interface ModelEncoding {
  readonly encoding: EncodingName;
  /** False when the model is an OpenAI model whose tokenizer is this encoding; true for a fallback or approximation. */
  readonly estimated: boolean;
  /** The model name after removing provider prefixes (`openai/`, `azure/`) and fine-tune wrapping (`ft:`). */
  readonly model: string;
  /** The model family, when it is not an OpenAI model: used to pick the approximation. */
  readonly family: 'openai' | 'anthropic' | 'other';
}

/** What an unknown model is counted with: the encoding of current OpenAI models. */
export const DEFAULT_ENCODING: EncodingName = 'o200k_base';

type Rule = readonly [match: 'exact' | 'prefix', name: string, encoding: EncodingName];

// Order matters: the first matching rule wins, so specific names come before their shorter prefixes.
const rules: readonly Rule[] = [
  ['prefix', 'gpt-5', 'o200k_base'],
  ['prefix', 'gpt-4.5', 'o200k_base'],
  ['prefix', 'gpt-4.1', 'o200k_base'],
  ['prefix', 'gpt-4o', 'o200k_base'],
  ['prefix', 'chatgpt-4o', 'o200k_base'],
  ['prefix', 'gpt-oss', 'o200k_base'],
  ['prefix', 'gpt-realtime', 'o200k_base'],
  ['prefix', 'gpt-audio', 'o200k_base'],
  ['prefix', 'codex-', 'o200k_base'],
  ['exact', 'o1', 'o200k_base'],
  ['prefix', 'o1-', 'o200k_base'],
  ['exact', 'o3', 'o200k_base'],
  ['prefix', 'o3-', 'o200k_base'],
  ['exact', 'o4', 'o200k_base'],
  ['prefix', 'o4-', 'o200k_base'],
  ['prefix', 'gpt-4', 'cl100k_base'],
  ['prefix', 'gpt-3.5', 'cl100k_base'],
  ['prefix', 'gpt-35', 'cl100k_base'],
  ['prefix', 'text-embedding-3', 'cl100k_base'],
  ['prefix', 'text-embedding-ada-002', 'cl100k_base'],
  ['prefix', 'davinci-002', 'cl100k_base'],
  ['prefix', 'babbage-002', 'cl100k_base'],
  ['prefix', 'text-davinci-002', 'p50k_base'],
  ['prefix', 'text-davinci-003', 'p50k_base'],
  ['prefix', 'text-davinci-edit', 'p50k_base'],
  ['prefix', 'code-davinci', 'p50k_base'],
  ['prefix', 'code-cushman', 'p50k_base'],
  ['prefix', 'davinci-codex', 'p50k_base'],
  ['prefix', 'cushman-codex', 'p50k_base'],
  ['prefix', 'text-davinci-001', 'r50k_base'],
  ['prefix', 'text-curie', 'r50k_base'],
  ['prefix', 'text-babbage', 'r50k_base'],
  ['prefix', 'text-ada', 'r50k_base'],
  ['prefix', 'text-similarity-', 'r50k_base'],
  ['prefix', 'text-search-', 'r50k_base'],
  ['prefix', 'code-search-', 'r50k_base'],
  ['exact', 'davinci', 'r50k_base'],
  ['exact', 'curie', 'r50k_base'],
  ['exact', 'babbage', 'r50k_base'],
  ['exact', 'ada', 'r50k_base'],
  ['exact', 'gpt2', 'r50k_base'],
];

const anthropicPattern = /^(claude|anthropic)/;

/** Strips `provider/` prefixes and the `ft:` wrapper (`ft:gpt-4o-mini-2024-07-18:org::id` -> `gpt-4o-mini-2024-07-18`). */
export function normalizeModelName(model: string): string {
  let name = model.trim().toLowerCase();
  const slash = name.lastIndexOf('/');
  if (slash !== -1) name = name.slice(slash + 1);
  if (name.startsWith('ft:')) {
    const end = name.indexOf(':', 3);
    name = end === -1 ? name.slice(3) : name.slice(3, end);
  }
  return name;
}

/** Resolves a model (or an encoding name) to its encoding; never throws. */
export function encodingForModel(model: string): ModelEncoding {
  const raw = typeof model === 'string' ? model : String(model);
  if (isEncodingName(raw)) return { encoding: raw, estimated: false, model: raw, family: 'openai' };
  const name = normalizeModelName(raw);
  for (const [match, prefix, encoding] of rules) {
    if (match === 'exact' ? name === prefix : name.startsWith(prefix)) {
      return { encoding, estimated: false, model: name, family: 'openai' };
    }
  }
  const lowered = raw.trim().toLowerCase();
  if (anthropicPattern.test(name) || lowered.startsWith('anthropic/') || lowered.includes('claude')) {
    return { encoding: 'cl100k_base', estimated: true, model: name, family: 'anthropic' };
  }
  return { encoding: DEFAULT_ENCODING, estimated: true, model: name, family: 'other' };
}
