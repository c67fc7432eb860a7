// Maps an error event inside an upstream stream (OpenAI `data: {error}`, Anthropic `event: error`) to a ProviderError.
import type { ProviderError } from '../errors/provider-error.ts';
import { mapUpstreamError } from '../providers/map-upstream-error.ts';

const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  overloaded_error: 529,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  api_error: 500,
  server_error: 500,
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  timeout_error: 504,
};

export function inStreamError(
  provider: string,
  error: unknown,
  secrets: readonly (string | undefined)[],
): ProviderError {
  const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const type =
    typeof fields.type === 'string' ? fields.type : typeof fields.code === 'string' ? fields.code : '';
  const status = STATUS_BY_TYPE[type] ?? 500;
  return mapUpstreamError({ provider, status, headers: {}, body: JSON.stringify({ error }), secrets });
}
