// Chains a value that may be a promise without making one when it is not: the memory store's synchronous path.
import type { MaybePromise } from './limit-grant.ts';

/** `next` on the value, at once when it is one, after it when it is a promise. */
export function andThen<T, U>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<U>,
  failed?: (error: unknown) => never,
): MaybePromise<U> {
  if (value instanceof Promise) return value.then(next, failed);
  return next(value);
}
