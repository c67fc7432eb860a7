// The three workloads every contender runs: one hot key, 100,000 distinct keys, and a three-limit check.
import type { LimitSpec } from '../src/types.ts';

/** Limits high enough that every call is admitted: the benchmark measures deciding, not rejecting. */
export const unlimited = 1e12;
export const distinctKeys = 100_000;

export function rpmSpec(key: string): LimitSpec {
  return {
    name: 'key:rpm',
    key,
    algorithm: 'sliding-window',
    limit: unlimited,
    windowMs: 60_000,
    unit: 'requests',
  };
}

export const hotSpecs: LimitSpec[] = [rpmSpec('hot')];

export const distinctKeyNames: string[] = Array.from({ length: distinctKeys }, (_, index) => `key-${index}`);
export const distinctSpecs: LimitSpec[][] = distinctKeyNames.map((key) => [rpmSpec(key)]);

export const threeLimitSpecs: LimitSpec[] = [
  rpmSpec('sk-1'),
  {
    name: 'key:tpm',
    key: 'sk-1',
    algorithm: 'sliding-window',
    limit: unlimited,
    windowMs: 60_000,
    unit: 'tokens',
  },
  {
    name: 'team:tpm',
    key: 'team-1',
    algorithm: 'sliding-window',
    limit: unlimited,
    windowMs: 60_000,
    unit: 'tokens',
  },
];

export const oneRequest = { requests: 1 };
export const requestWithTokens = { requests: 1, tokens: 100 };

/** Cycles through the distinct keys so every call touches a different key until the set wraps. */
export function cycler(): () => number {
  let index = 0;
  return () => {
    index = index === distinctKeys - 1 ? 0 : index + 1;
    return index;
  };
}
