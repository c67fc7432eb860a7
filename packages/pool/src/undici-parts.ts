// The two parts of undici the pool runs on (Pool and buildConnector), loaded without the rest of undici.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

/**
 * undici's entry loads all of it (fetch, WebSocket, EventSource, caches, mocks): about 10 MB of resident memory
 * in a gateway that uses two classes. Its modules are CommonJS files with no `exports` map, so the two are
 * required where they live; should a later undici move them, the entry is the fallback (a test checks that
 * these are the very objects the entry exports, so a move is noticed).
 */
function part<T>(path: string, fromEntry: (undici: typeof Undici) => T): T {
  try {
    return require(path) as T;
  } catch {
    return fromEntry(require('undici') as typeof Undici);
  }
}

export const Pool: typeof Undici.Pool = part('undici/lib/dispatcher/pool.js', (undici) => undici.Pool);

export const buildConnector: typeof Undici.buildConnector = part(
  'undici/lib/core/connect.js',
  (undici) => undici.buildConnector,
);
