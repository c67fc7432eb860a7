// The model groups a caller may see and use: every group, or only those its virtual key lists.
import type { Principal } from './authenticate.ts';

export function visibleGroups(
  principal: Principal | undefined,
  groups: readonly string[],
): readonly string[] {
  const allowed = principal?.models;
  return allowed === undefined ? groups : groups.filter((group) => allowed.has(group));
}
