// A DNS cache in front of dns.lookup, so each new connection does not pay a resolver round trip.
import { type LookupAddress, type LookupOptions, lookup as systemLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

interface Entry {
  expiresAt: number;
  addresses: LookupAddress[];
}

type LookupCallback = Parameters<LookupFunction>[2];

function answer(addresses: LookupAddress[], options: LookupOptions, callback: LookupCallback): void {
  if (options.all === true) {
    callback(null, addresses);
    return;
  }
  const first = addresses[0]!;
  callback(null, first.address, first.family);
}

/**
 * Wraps `resolve` with a cache of `ttlMs`. It caches at the connection layer (net.connect's `lookup`) rather than
 * rewriting the request origin to an IP, so pools, TLS server names and Host headers keep the real host name.
 */
export function createCachedLookup(
  ttlMs: number,
  resolve: LookupFunction = systemLookup as LookupFunction,
  now: () => number = Date.now,
): LookupFunction {
  const cache = new Map<string, Entry>();
  return (hostname, options, callback) => {
    const key = `${hostname}/${options.family ?? 0}`;
    const entry = cache.get(key);
    if (entry !== undefined && entry.expiresAt > now()) {
      answer(entry.addresses, options, callback);
      return;
    }
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null || !Array.isArray(addresses) || addresses.length === 0) {
        callback(error ?? Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        return;
      }
      cache.set(key, { expiresAt: now() + ttlMs, addresses });
      answer(addresses, options, callback);
    });
  };
}
