// Whether the operator started this process with a V8 setting of their own, which the proxy then leaves alone.

/** True when a node flag or NODE_OPTIONS names the setting `pattern` matches (dashes or underscores alike). */
export function hasOwnNodeFlag(pattern: RegExp, execArgv: readonly string[], nodeOptions: string): boolean {
  return [...execArgv, nodeOptions].some((argument) => pattern.test(argument));
}
