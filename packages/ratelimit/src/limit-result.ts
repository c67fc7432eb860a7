// One limit's part of a decision, as every store reports it.
import type { LimitResult, LimitSpec } from './types.ts';

export function limitResultOf(
  spec: LimitSpec,
  remaining: number,
  resetMs: number,
  allowed: boolean,
): LimitResult {
  return {
    name: spec.name,
    unit: spec.unit,
    algorithm: spec.algorithm,
    limit: spec.limit,
    remaining,
    resetMs,
    allowed,
  };
}
