// Where to send requests: the gateway base URL from --url, $GW_URL or the local default, plus an API path.

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';

export function gatewayBase(url: string | undefined, env: NodeJS.ProcessEnv): string {
  return url ?? env.GW_URL ?? DEFAULT_GATEWAY_URL;
}

/**
 * Joins a base URL and an OpenAI path such as `/v1/chat/completions`, accepting a base that already ends in `/v1`
 * (as OpenAI SDK base URLs do) or that already is the full endpoint.
 */
export function endpoint(base: string, path: string): string {
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, '');
  if (basePath.endsWith(path)) return url.toString();
  const suffix = basePath.endsWith('/v1') && path.startsWith('/v1/') ? path.slice(3) : path;
  url.pathname = `${basePath}${suffix}`;
  return url.toString();
}

/** API key from --key, else $GW_API_KEY. */
export function apiKey(key: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return key ?? (env.GW_API_KEY || undefined);
}

export function authHeaders(key: string | undefined): Record<string, string> {
  return key === undefined ? {} : { authorization: `Bearer ${key}` };
}
