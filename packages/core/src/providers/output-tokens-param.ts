// OpenAI's reasoning models refuse `max_tokens` ("Use 'max_completion_tokens' instead"); the others take both.

/** o1, o3, o4-mini, gpt-5 and their snapshots and variants, by the model name the upstream gets. */
const REASONING_MODEL = /^(o\d|gpt-5)/;

/**
 * A body with `max_tokens` renamed to `max_completion_tokens` for a reasoning model, else `body` itself. Callers
 * still send `max_tokens` (older SDKs, and every Anthropic-format caller, whose `max_tokens` is required).
 */
export function withCompletionTokensParam(
  body: Record<string, unknown>,
  model: string,
): Record<string, unknown> {
  const limit = body.max_tokens;
  if (limit === undefined || limit === null || !REASONING_MODEL.test(model)) return body;
  const { max_tokens: _renamed, ...rest } = body;
  // A caller that sent both meant the newer one.
  if (rest.max_completion_tokens === undefined || rest.max_completion_tokens === null) {
    rest.max_completion_tokens = limit;
  }
  return rest;
}
