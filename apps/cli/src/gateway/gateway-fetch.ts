// fetch against a gateway, turning network failures and HTTP errors into runtime errors (exit 1) that say what to do.
import { runtimeError } from '../cli-error.ts';

export type Fetch = typeof fetch;

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** Sends the request; throws GW_ERR_GATEWAY_UNREACHABLE when no HTTP response arrives. */
export async function send(url: string, init: RequestInit, fetchImpl: Fetch = fetch): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    const origin = new URL(url).origin;
    throw runtimeError(
      'GW_ERR_GATEWAY_UNREACHABLE',
      `Cannot reach the gateway at ${origin} (${networkReason(error)}). Is it running? Start one with \`gw serve\` or pass --url.`,
      error,
    );
  }
}

/** The error message from an OpenAI-style error body, else the start of the body. */
export function errorMessageOf(bodyText: string): string {
  try {
    const parsed = JSON.parse(bodyText) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return bodyText.trim().slice(0, 300) || '(empty body)';
}

/** Throws GW_ERR_GATEWAY_HTTP with the status and the server's message for a non-2xx response. */
export async function assertOk(response: Response, url: string): Promise<void> {
  if (response.ok) return;
  const text = await response.text().catch(() => '');
  throw runtimeError(
    'GW_ERR_GATEWAY_HTTP',
    `${new URL(url).pathname} answered HTTP ${response.status}: ${errorMessageOf(text)}`,
  );
}

/** GET a JSON document, failing clearly on network errors, HTTP errors and bodies that are not JSON. */
export async function getJson(
  url: string,
  headers: Record<string, string>,
  fetchImpl: Fetch = fetch,
): Promise<unknown> {
  const response = await send(url, { headers: { accept: 'application/json', ...headers } }, fetchImpl);
  await assertOk(response, url);
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw runtimeError('GW_ERR_GATEWAY_HTTP', `${new URL(url).pathname} did not answer JSON.`, error);
  }
}
