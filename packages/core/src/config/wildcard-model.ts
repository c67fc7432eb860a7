// LiteLLM's wildcard routing: a model group named with a `*` (`openai/*`) serves every model its pattern matches.

/** Whether a model group's name is a pattern (`openai/*`, `claude-*`, `*`). */
export function isModelPattern(name: string): boolean {
  return name.includes('*');
}

/** What the pattern's `*` stands for in `model`, or undefined when the pattern does not match it. */
export function patternCapture(pattern: string, model: string): string | undefined {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === model ? '' : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (model.length < prefix.length + suffix.length) return undefined;
  if (!model.startsWith(prefix) || !model.endsWith(suffix)) return undefined;
  return model.slice(prefix.length, model.length - suffix.length);
}

/**
 * The model a deployment of a pattern group is asked for: its own `model` with the `*` replaced by what the
 * group's pattern matched in the requested name (`openai/*` asked for `openai/gpt-4o-mini` sends `gpt-4o-mini`).
 * A deployment without a `*` in its model keeps it.
 */
export function upstreamModelName(
  deploymentModel: string,
  groupPattern: string,
  requestedModel: unknown,
): string {
  if (!deploymentModel.includes('*') || typeof requestedModel !== 'string') return deploymentModel;
  const capture = patternCapture(groupPattern, requestedModel);
  return capture === undefined ? deploymentModel : deploymentModel.replace('*', capture);
}

/**
 * The pattern group that serves `model`: of those that match, the most specific (the longest literal part),
 * then the first configured. `patterns` in config order.
 */
export function matchModelPattern(patterns: readonly string[], model: string): string | undefined {
  let best: string | undefined;
  for (const pattern of patterns) {
    if (patternCapture(pattern, model) === undefined) continue;
    if (best === undefined || pattern.length > best.length) best = pattern;
  }
  return best;
}
