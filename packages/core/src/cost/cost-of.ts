// Cost of one answered request in USD, from its token usage and the price of the model that answered it.
import type { ModelPrice, PriceTable } from './price-table.ts';
import { defaultPriceTable } from './price-table.ts';

export interface TokenUsage {
  /** All prompt tokens, including cached ones (OpenAI's `prompt_tokens`). */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens read from the provider's cache (a subset of inputTokens). */
  cachedInputTokens?: number;
  /** Prompt tokens written to the provider's cache (a subset of inputTokens). */
  cacheWriteInputTokens?: number;
}

export interface CostOptions {
  table?: PriceTable;
  /** Per-deployment prices (LiteLLM's model_info costs) that take precedence over the table. */
  override?: Partial<ModelPrice>;
}

/** The USD cost, or undefined when neither the override nor the table prices this model. */
export function costOf(model: string, usage: TokenUsage, options: CostOptions = {}): number | undefined {
  const price = priceFor(model, options);
  if (price === undefined) return undefined;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteInputTokens ?? 0, usage.inputTokens - cached);
  const plain = usage.inputTokens - cached - written;
  return (
    plain * price.inputCostPerToken +
    cached * (price.cachedInputCostPerToken ?? price.inputCostPerToken) +
    written * (price.cacheWriteCostPerToken ?? price.inputCostPerToken) +
    usage.outputTokens * price.outputCostPerToken
  );
}

function priceFor(model: string, options: CostOptions): ModelPrice | undefined {
  const override = options.override;
  const base = (options.table ?? defaultPriceTable()).lookup(model);
  if (override?.inputCostPerToken === undefined || override.outputCostPerToken === undefined) {
    if (base === undefined) return undefined;
    return override === undefined ? base : { ...base, ...definedOnly(override) };
  }
  return { ...base, ...definedOnly(override) } as ModelPrice;
}

function definedOnly(price: Partial<ModelPrice>): Partial<ModelPrice> {
  const out: Partial<ModelPrice> = {};
  for (const [key, value] of Object.entries(price) as [keyof ModelPrice, number | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `0.000123` style for headers: enough digits for fractions of a cent, no float noise or exponent. */
export function formatCost(cost: number): string {
  if (cost === 0) return '0';
  const fixed = cost.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '0' ? '0' : fixed;
}
