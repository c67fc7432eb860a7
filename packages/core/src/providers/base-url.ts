// Splits a provider base URL (`https://host/v1`) into the pool's origin and a path prefix.

export interface BaseUrl {
  origin: string;
  /** Path prefix without a trailing slash (`/v1`, or '' for none). */
  prefix: string;
}

export function splitBaseUrl(base: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(
      `Invalid api_base '${base}': expected an absolute URL such as https://api.example.com/v1.`,
    );
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

export function jsonHeaders(extra: Record<string, string> | undefined): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json', ...extra };
}
