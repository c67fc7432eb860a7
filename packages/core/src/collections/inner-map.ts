// The inner map of a two-level map, made on first use: lookups by ids and label values without building key strings.

/**
 * `outer.get(key)`, created empty when missing. Keys here are strings from the config (ids, group names, label
 * values), whose hashes V8 keeps, where a key string built per request would be hashed anew each time.
 */
export function innerMap<Key, Value>(outer: Map<Key, Map<Key, Value>>, key: Key): Map<Key, Value> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}
