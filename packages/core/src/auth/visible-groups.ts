// The model names a caller may see and use: every group, or only those its virtual key lists, and their aliases.
import type { ModelGroupAlias } from '../config/gateway-config.ts';
import type { Principal } from './authenticate.ts';

export function visibleGroups(
  principal: Principal | undefined,
  groups: readonly string[],
): readonly string[] {
  const allowed = principal?.models;
  return allowed === undefined ? groups : groups.filter((group) => allowed.has(group));
}

/** The visible groups, then the aliases that are not hidden and that the caller may use. */
export function visibleModels(
  principal: Principal | undefined,
  groups: readonly string[],
  aliases: ReadonlyMap<string, ModelGroupAlias>,
): readonly string[] {
  const visible = visibleGroups(principal, groups);
  if (aliases.size === 0) return visible;
  const names = [...visible];
  for (const [alias, { group, hidden }] of aliases) {
    if (hidden || names.includes(alias)) continue;
    if (mayUseName(principal, alias, group)) names.push(alias);
  }
  return names;
}

/**
 * A key may call a name it lists, or one that stands for a group it lists: an alias of the group, or a model
 * the group's pattern matches.
 */
export function mayUseName(principal: Principal | undefined, name: string, group: string): boolean {
  const allowed = principal?.models;
  return allowed === undefined || allowed.has(name) || allowed.has(group);
}
