// Splits a provider base URL (`https://host/v1`) into the pool's origin and a path prefix.

export interface BaseUrl {
  origin: string;
  /** Path prefix without a trailing slash (`/v1`, or '' for none). */
  prefix: string;
}

// Bases come from the config, so this stays small; parsing a URL on every request is measurable under load.
const splitBases = new Map<string, BaseUrl>();

export function splitBaseUrl(base: string): BaseUrl {
  const known = splitBases.get(base);
  if (known !== undefined) return known;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(
      `Invalid api_base '${base}': expected an absolute URL such as https://api.example.com/v1.`,
    );
  }
  const split: BaseUrl = Object.freeze({ origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') });
  if (splitBases.size < 1024) splitBases.set(base, split);
  return split;
}

export function jsonHeaders(extra: Record<string, string> | undefined): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json', ...extra };
}
