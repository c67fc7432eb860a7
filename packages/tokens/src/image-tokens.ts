// What an image input costs in prompt tokens, by model, following OpenAI's published tiling rules.
import type { ImageDimensions } from './image-dimensions.ts';

export interface ImageCost {
  readonly base: number;
  readonly tile: number;
}

/** Assumed size of an image whose dimensions are unknown (a remote URL without caller-given size). */
export const DEFAULT_IMAGE_DIMENSIONS: ImageDimensions = { width: 1024, height: 1024 };

/** Base and per-512px-tile token cost by model; the most specific prefix is listed first. */
const costs: readonly (readonly [prefix: string, cost: ImageCost])[] = [
  ['gpt-4o-mini', { base: 2833, tile: 5667 }],
  ['gpt-5', { base: 70, tile: 140 }],
  ['o1', { base: 75, tile: 150 }],
  ['o3', { base: 75, tile: 150 }],
  ['gpt-4o', { base: 85, tile: 170 }],
  ['chatgpt-4o', { base: 85, tile: 170 }],
  ['gpt-4.1', { base: 85, tile: 170 }],
  ['gpt-4.5', { base: 85, tile: 170 }],
];

const defaultCost: ImageCost = { base: 85, tile: 170 };

export function imageCostFor(model: string): ImageCost {
  for (const [prefix, cost] of costs) if (model.startsWith(prefix)) return cost;
  return defaultCost;
}

/**
 * Low detail costs the base. High (and auto) detail: fit within 2048x2048, scale the shortest side down to 768,
 * then add the tile cost for each 512px tile.
 */
export function imageTokens(
  dimensions: ImageDimensions,
  detail: string | undefined,
  cost: ImageCost,
): number {
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
