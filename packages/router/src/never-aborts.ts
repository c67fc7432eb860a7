// The one signal nothing can abort, shared by every call that came without a caller's signal.
import { setMaxListeners } from 'node:events';

/**
 * Shared, so such calls allocate no controller. Whoever is handed it may listen on it for the length of a call
 * (an upstream call does), so concurrent calls add listeners that never fire and each removes its own when it
 * ends: not a leak, so their number has no limit (Node warns past ten on an ordinary signal). The router itself
 * never listens on it, and callers without a signal of their own should pass it on rather than make one.
 */
export const neverAborts: AbortSignal = new AbortController().signal;
setMaxListeners(0, neverAborts);
