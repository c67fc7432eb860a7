// Rejects limit specs and amounts that would silently corrupt counters (NaN, negative, unknown algorithms).
import { limiters } from './algorithms/limiters.ts';
import { RateLimitError } from './rate-limit-error.ts';
import type { LimitSpec } from './types.ts';

export function validateSpecs(specs: readonly LimitSpec[]): void {
  for (let index = 0; index < specs.length; index++) {
    const spec = specs[index]!;
    // One name and key is one counter: listed twice in a call, the two entries would share (and corrupt) it.
    for (let earlier = 0; earlier < index; earlier++) {
      if (specs[earlier]!.name === spec.name && specs[earlier]!.key === spec.key) {
        throw RateLimitError.invalid(
          `Limit '${spec.name}' for key '${spec.key}' appears twice in one call; give each limit its own name.`,
        );
      }
    }
    if (
      !(spec.limit > 0) ||
      !(spec.windowMs > 0) ||
      !Number.isFinite(spec.limit) ||
      !Number.isFinite(spec.windowMs)
    ) {
      throw RateLimitError.invalid(
        `Limit '${spec.name}' needs a positive finite limit and windowMs (got limit ${spec.limit}, windowMs ${spec.windowMs}).`,
      );
    }
    if (limiters[spec.algorithm] === undefined) {
      throw RateLimitError.invalid(`Limit '${spec.name}' has unknown algorithm '${String(spec.algorithm)}'.`);
    }
    if (spec.unit !== 'requests' && spec.unit !== 'tokens') {
      throw RateLimitError.invalid(
        `Limit '${spec.name}' has unit '${String(spec.unit)}'; use 'requests' or 'tokens'.`,
      );
    }
  }
}

export function validateAmount(what: string, value: number): number {
  if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) {
    throw RateLimitError.invalid(`${what} must be a finite number >= 0 (got ${value}).`);
  }
  return value;
}
