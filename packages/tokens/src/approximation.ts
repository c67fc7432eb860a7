// Token estimates for models without a public local tokenizer: an exact count in a related encoding, scaled.
import type { ModelEncoding } from './model-encoding.ts';

/**
 * Multiplier applied to the exact count in the model's stand-in encoding. Measured on the test corpus against
 * `@anthropic-ai/tokenizer` (Anthropic's published tokenizer); see the README for the error.
 */
export const APPROXIMATION_FACTORS: Readonly<Record<ModelEncoding['family'], number>> = {
  openai: 1,
  anthropic: 1.05,
  other: 1,
};

export function approximate(exactCount: number, family: ModelEncoding['family']): number {
  const factor = APPROXIMATION_FACTORS[family];
  return factor === 1 ? exactCount : Math.ceil(exactCount * factor);
}
