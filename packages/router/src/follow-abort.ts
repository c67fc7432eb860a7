// Forwards a signal's abort to a controller of the router's own (a deadline's, a TTFT timeout's) until unlinked.

/** Aborts `target` with `source`'s reason when `source` aborts (at once if it already has); returns the unlink. */
export function followAbort(source: AbortSignal, target: AbortController): () => void {
  const forward = () => target.abort(source.reason);
  if (source.aborted) {
    forward();
    return () => {};
  }
  source.addEventListener('abort', forward, { once: true });
  return () => source.removeEventListener('abort', forward);
}
