// The upstream's own JSON text for an answer or stream chunk gw passes on unchanged (OpenAI wire format in and
// out), so it can go out as those bytes instead of a second serialisation of the same object.

/**
 * Only the most recent texts are kept: they are read within moments of being parsed (the next stream chunk
 * encoded, the answer written). A WeakMap kept them as long as their objects lived, and worse, its values
 * outlive their keys until a full collection, so a thousand streams promoted every chunk's text to the old
 * generation (about 55 MB of heap over one 1,000-stream probe). A text evicted before it is read costs a
 * `JSON.stringify`, never a wrong answer.
 */
const capacity = 512;
/** Characters held at most, so a run of large answers cannot pin much memory. */
const characterBudget = 4 * 1024 * 1024;

const textOf = new Map<object, string>();
const order: (object | undefined)[] = new Array(capacity);
let oldest = 0;
let count = 0;
let characters = 0;

function evictOldest(): void {
  const owner = order[oldest];
  order[oldest] = undefined;
  oldest = (oldest + 1) % capacity;
  count--;
  if (owner === undefined) return;
  const text = textOf.get(owner);
  if (text === undefined) return;
  textOf.delete(owner);
  characters -= text.length;
}

/** Records that `value` is exactly `JSON.parse(text)` and nothing has changed it since. */
export function rememberRawJson(value: unknown, text: string): void {
  if (typeof value !== 'object' || value === null || text.length > characterBudget) return;
  forgetRawJson(value);
  while (count === capacity || (count > 0 && characters + text.length > characterBudget)) evictOldest();
  order[(oldest + count) % capacity] = value;
  count++;
  textOf.set(value, text);
  characters += text.length;
}

/**
 * The text `value` was parsed from, when gw passed the upstream's answer on unchanged (an OpenAI-format caller
 * of an OpenAI-format upstream) and read it soon after; undefined otherwise. Whoever changes such an object must
 * call `forgetRawJson`.
 */
export function rawJsonOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? textOf.get(value) : undefined;
}

export function forgetRawJson(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const text = textOf.get(value);
  if (text === undefined) return;
  // Its slot in `order` stays until it comes round; evicting an absent owner is a no-op.
  textOf.delete(value);
  characters -= text.length;
}
