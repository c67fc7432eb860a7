// Who a limit of the caller's belongs to, in the words of the refusal that names it.

/** Who a caller limit belongs to, as a refusal names it. */
export function callerSubject(scope: string, group: string | undefined): string {
  if (scope === 'global') return 'this gateway';
  const inGroup = group === undefined ? '' : ` on model group '${group}'`;
  if (scope === 'key-model') return `this key${inGroup}`;
  if (scope === 'team-model') return `this key's team${inGroup}`;
  return scope === 'team' ? "this key's team" : 'this key';
}
