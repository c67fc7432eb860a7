// One LimitSpec in one line, so a test shows its limits rather than object boilerplate.
import type { Algorithm, LimitSpec } from '../../src/types.ts';

export function limitSpec(
  name: string,
  key: string,
  algorithm: Algorithm,
  limit: number,
  windowMs: number,
  unit: LimitSpec['unit'] = 'requests',
): LimitSpec {
  return { name, key, algorithm, limit, windowMs, unit };
}
