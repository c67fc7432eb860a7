// The per-model price table shipped in data/prices.json, with lookup by exact name or dated-snapshot prefix.
import { readFileSync } from 'node:fs';

/** USD per token. */
export interface ModelPrice {
  inputCostPerToken: number;
  outputCostPerToken: number;
  /** Cache reads; billed at the input rate when absent. */
  cachedInputCostPerToken?: number;
  /** Anthropic cache creation; billed at the input rate when absent. */
  cacheWriteCostPerToken?: number;
}

interface PriceFileEntry {
  input: number;
  output: number;
  cached_input?: number;
  cache_write?: number;
}

export interface PriceTable {
  /** The price of `model` (`gpt-4o-2024-08-06`, `openai/gpt-4o`...), or undefined when unknown. */
  lookup(model: string): ModelPrice | undefined;
}

const PER_MILLION = 1_000_000;

/**
 * What may follow a listed name for a model to share its price: a date or version (`-2024-08-06`, `-20241022`,
 * `-0613`), `-latest`, `-preview`, `-exp`. Any other suffix names another model with its own price (`o1-pro` is
 * ten times `o1`, `gemini-2.5-flash-lite` a third of `gemini-2.5-flash`), so it is unknown rather than wrong.
 */
const SNAPSHOT_SUFFIX = /^(?:\d+|latest|preview|exp)(?:-(?:\d+|latest|preview|exp))*$/;

/** Builds a table from entries in USD per 1M tokens (the data file's unit, which reads like pricing pages). */
export function createPriceTable(perMillion: Readonly<Record<string, PriceFileEntry>>): PriceTable {
  const prices = new Map<string, ModelPrice>();
  for (const [name, entry] of Object.entries(perMillion)) {
    const price: ModelPrice = {
      inputCostPerToken: entry.input / PER_MILLION,
      outputCostPerToken: entry.output / PER_MILLION,
    };
    if (entry.cached_input !== undefined) price.cachedInputCostPerToken = entry.cached_input / PER_MILLION;
    if (entry.cache_write !== undefined) price.cacheWriteCostPerToken = entry.cache_write / PER_MILLION;
    prices.set(name, price);
  }
  // Longest names first so `gpt-4o-mini-2024-07-18` matches gpt-4o-mini, not gpt-4o.
  const names = [...prices.keys()].sort((a, b) => b.length - a.length);
  const cache = new Map<string, ModelPrice | undefined>();
  return {
    lookup(model) {
      if (cache.has(model)) return cache.get(model);
      const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
      let found = prices.get(bare);
      if (found === undefined) {
        const name = names.find(
          (candidate) =>
            bare.startsWith(`${candidate}-`) && SNAPSHOT_SUFFIX.test(bare.slice(candidate.length + 1)),
        );
        if (name !== undefined) found = prices.get(name);
      }
      if (cache.size < 10_000) cache.set(model, found);
      return found;
    },
  };
}

let shipped: PriceTable | undefined;

/** The table shipped with gw (data/prices.json), read once on first use. */
export function defaultPriceTable(): PriceTable {
  if (shipped === undefined) {
    const file = JSON.parse(readFileSync(new URL('../../data/prices.json', import.meta.url), 'utf8')) as {
      models: Record<string, PriceFileEntry>;
    };
    shipped = createPriceTable(file.models);
  }
  return shipped;
}
