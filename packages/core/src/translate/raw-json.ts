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

// A ring of slots, oldest first. A text read by its writer leaves its slot empty at once: a slot still holding
// the parsed object until 512 later ones came round kept every answer alive through several young-generation
// collections, each copying it, and then promoted it.
const slotOf = new Map<object, number>();
const owners: (object | undefined)[] = new Array(capacity);
const texts: (string | undefined)[] = new Array(capacity);
let oldest = 0;
let count = 0;
let characters = 0;

function emptySlot(slot: number): string | undefined {
  const owner = owners[slot];
  const text = texts[slot];
  if (owner === undefined || text === undefined) return undefined;
  owners[slot] = undefined;
  texts[slot] = undefined;
  slotOf.delete(owner);
  characters -= text.length;
  return text;
}

function evictOldest(): void {
  emptySlot(oldest);
  oldest = (oldest + 1) % capacity;
  count--;
}

/** Records that `value` is exactly `JSON.parse(text)` and nothing has changed it since. */
export function rememberRawJson(value: unknown, text: string): void {
  if (typeof value !== 'object' || value === null || text.length > characterBudget) return;
  forgetRawJson(value);
  while (count === capacity || (count > 0 && characters + text.length > characterBudget)) evictOldest();
  const slot = (oldest + count) % capacity;
  owners[slot] = value;
  texts[slot] = text;
  slotOf.set(value, slot);
  count++;
  characters += text.length;
}

/**
 * The text `value` was parsed from, when gw passed the upstream's answer on unchanged (an OpenAI-format caller
 * of an OpenAI-format upstream) and read it soon after; undefined otherwise. Whoever changes such an object must
 * call `forgetRawJson`.
 */
export function rawJsonOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const slot = slotOf.get(value);
  return slot === undefined ? undefined : texts[slot];
}

/** Like `rawJsonOf`, for the one writer of the value: the text is handed over and no longer held here. */
export function takeRawJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const slot = slotOf.get(value);
  return slot === undefined ? undefined : emptySlot(slot);
}

export function forgetRawJson(value: unknown): void {
  takeRawJson(value);
}
