// The upstream's own JSON text for an answer or stream chunk gw passes on unchanged (OpenAI wire format in and
// out), so it can go out as those bytes instead of a second serialisation of the same object.

const rawText = new WeakMap<object, string>();

/** Records that `value` is exactly `JSON.parse(text)` and nothing has changed it since. */
export function rememberRawJson(value: unknown, text: string): void {
  if (typeof value === 'object' && value !== null) rawText.set(value, text);
}

/**
 * The text `value` was parsed from, when gw passed the upstream's answer on unchanged (an OpenAI-format caller
 * of an OpenAI-format upstream); undefined otherwise. Whoever changes such an object must call `forgetRawJson`.
 */
export function rawJsonOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? rawText.get(value) : undefined;
}

export function forgetRawJson(value: unknown): void {
  if (typeof value === 'object' && value !== null) rawText.delete(value);
}
