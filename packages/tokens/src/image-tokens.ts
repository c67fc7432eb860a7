// What an image input costs in prompt tokens, by model, following OpenAI's published tile and patch rules.
import type { ImageDimensions } from './image-dimensions.ts';
import { imagePatches } from './image-patches.ts';

/** Models billed by 512-px tiles: a base cost plus a cost per tile. */
export interface TileImageCost {
  readonly base: number;
  readonly tile: number;
}

/** Models billed by 32-px patches: the patch count times a per-model multiplier. */
export interface PatchImageCost {
  readonly patchMultiplier: number;
}

export type ImageCost = TileImageCost | PatchImageCost;

/** Assumed size of an image whose dimensions are unknown (a remote URL without caller-given size). */
export const DEFAULT_IMAGE_DIMENSIONS: ImageDimensions = { width: 1024, height: 1024 };

/**
 * Cost by model prefix, from OpenAI's vision guide ("Calculating costs"); the first matching prefix wins, so
 * `gpt-4.1-mini` comes before `gpt-4.1` and `gpt-5-mini` before `gpt-5`.
 */
const costs: readonly (readonly [prefix: string, cost: ImageCost])[] = [
  ['gpt-4.1-mini', { patchMultiplier: 1.62 }],
  ['gpt-4.1-nano', { patchMultiplier: 2.46 }],
  ['gpt-5-mini', { patchMultiplier: 1.62 }],
  ['gpt-5-nano', { patchMultiplier: 2.46 }],
  ['o4-mini', { patchMultiplier: 1.72 }],
  ['gpt-4o-mini', { base: 2833, tile: 5667 }],
  ['gpt-5', { base: 70, tile: 140 }],
  ['o1', { base: 75, tile: 150 }],
  ['o3', { base: 75, tile: 150 }],
  ['computer-use-preview', { base: 65, tile: 129 }],
  ['gpt-4o', { base: 85, tile: 170 }],
  ['chatgpt-4o', { base: 85, tile: 170 }],
  ['gpt-4.1', { base: 85, tile: 170 }],
  ['gpt-4.5', { base: 85, tile: 170 }],
];

const defaultCost: ImageCost = { base: 85, tile: 170 };

/** The image cost of a model (after `encodingForModel`'s normalisation); unlisted models cost 85/170. */
export function imageCostFor(model: string): ImageCost {
  for (const [prefix, cost] of costs) if (model.startsWith(prefix)) return cost;
  return defaultCost;
}

/** Prompt tokens of one image with the given detail (`low`, `high`, `auto` or none) at the given cost. */
export function imageTokens(
  dimensions: ImageDimensions,
  detail: string | undefined,
  cost: ImageCost,
): number {
  return 'patchMultiplier' in cost ? patchTokens(dimensions, cost) : tileTokens(dimensions, detail, cost);
}

/**
 * The guide's patch rule has no `detail` step, and API usage shows `low` costs the same as `high` on these
 * models. The guide gives no rounding for the fractional product; OpenAI's pricing calculator rounds up
 * (1449 patches x 1.62 = 2347.38 -> 2348).
 */
function patchTokens(dimensions: ImageDimensions, cost: PatchImageCost): number {
  // Rounded to 6 places first so float noise (150 x 1.62 = 243.00000000000003) does not round up a whole number.
  const exact = Math.round(imagePatches(dimensions) * cost.patchMultiplier * 1e6) / 1e6;
  return Math.ceil(exact);
}

/**
 * Low detail costs the base. High (and auto) detail: fit within 2048x2048, scale the shortest side down to 768,
 * then add the tile cost for each 512px tile.
 */
function tileTokens(dimensions: ImageDimensions, detail: string | undefined, cost: TileImageCost): number {
  if (detail === 'low') return cost.base;
  let { width, height } = dimensions;
  if (width > 2048 || height > 2048) {
    const scale = 2048 / Math.max(width, height);
    width = Math.floor(width * scale);
    height = Math.floor(height * scale);
  }
  const shortest = Math.min(width, height);
  if (shortest > 768) {
    const scale = 768 / shortest;
    width = Math.floor(width * scale);
    height = Math.floor(height * scale);
  }
  const tiles = Math.ceil(width / 512) * Math.ceil(height / 512);
  return cost.base + cost.tile * tiles;
}
