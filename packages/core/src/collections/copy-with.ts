// A shallow copy of an object with some keys set: how per-request code copies and extends a caller's object.

/**
 * `{ ...source, ...extra }`, built with `Object.assign`: on Node 20's V8 a spread whose copy gains a key the
 * source lacks (in the literal, or set on the copy afterwards) takes a slow path, about 0.7 µs a copy against
 * 0.1 on a slow 2-core machine.
 */
export function copyWith<Source extends object, Extra extends object>(
  source: Source,
  extra: Extra,
): Source & Extra {
  return Object.assign({}, source, extra);
}
