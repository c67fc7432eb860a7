// How many 32-px patches OpenAI's patch-billed vision models (gpt-4.1-mini, o4-mini, ...) cover an image with.
import type { ImageDimensions } from './image-dimensions.ts';

const PATCH_SIZE = 32;

/** The most patches one image can cost; larger images are scaled down to fit. */
export const MAX_IMAGE_PATCHES = 1536;

/**
 * OpenAI's vision guide ("Calculating costs"): count the 32x32 patches covering the image; above 1536, shrink
 * the image so its area fits 1536 patches, shrink it again so the tighter side spans a whole number of patches,
 * count again, and cap at 1536. The guide's examples: 1024x1024 is 1024 patches, 1800x2400 is 1452.
 */
export function imagePatches(dimensions: ImageDimensions): number {
  const { width, height } = dimensions;
  const covering = patchesAcross(width) * patchesAcross(height);
  if (covering <= MAX_IMAGE_PATCHES) return covering;
  const shrink = Math.sqrt((MAX_IMAGE_PATCHES * PATCH_SIZE * PATCH_SIZE) / (width * height));
  // The guide works in whole pixels at each step (1800x2400 -> 1086x1448 -> 1056x1408).
  const shrunkWidth = Math.floor(width * shrink);
  const shrunkHeight = Math.floor(height * shrink);
  const fit = Math.min(wholePatchFit(shrunkWidth), wholePatchFit(shrunkHeight));
  const finalWidth = wholePixels(shrunkWidth * fit);
  const finalHeight = wholePixels(shrunkHeight * fit);
  return Math.min(MAX_IMAGE_PATCHES, patchesAcross(finalWidth) * patchesAcross(finalHeight));
}

function patchesAcross(pixels: number): number {
  return Math.ceil(pixels / PATCH_SIZE);
}

/** The scale that makes a side span a whole number of patches; a side under one patch already does. */
function wholePatchFit(pixels: number): number {
  const patches = pixels / PATCH_SIZE;
  return patches < 1 ? 1 : Math.floor(patches) / patches;
}

/** Floors a pixel length, absorbing float error so 1056 computed as 1055.9999999 stays 1056. */
function wholePixels(pixels: number): number {
  return Math.floor(pixels + 1e-6);
}
