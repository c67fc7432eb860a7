// Maps an upstream's non-2xx answer (OpenAI, Azure or Anthropic error body) to a ProviderError of the right class.
import type { ErrorClass } from '@gw/router';
import { ProviderError } from '../errors/provider-error.ts';
import { scrubSecrets } from '../errors/scrub-secrets.ts';

export type HeaderValues = Record<string, string | string[] | undefined>;

export interface UpstreamErrorInput {
  provider: string;
  status: number;
  headers: HeaderValues;
  body: string;
  /** Values to scrub from the message (the deployment's key). */
  secrets?: readonly (string | undefined)[];
  /** Clock for HTTP-date Retry-After values. */
  now?: () => number;
}

interface ParsedBody {
  message?: string;
  code?: string;
  type?: string;
}

const CONTEXT_WINDOW =
  /context[_ ]length|context[_ ]window|maximum context|prompt is too long|too many tokens/i;
const CONTENT_POLICY = /content[_ ]policy|content[_ ]filter|content management policy|safety system/i;

export function mapUpstreamError(input: UpstreamErrorInput): ProviderError {
  const parsed = parseBody(input.body);
  const errorClass = classify(input.status, parsed);
  const retryAfterMs = retryAfterOf(input.headers, input.now ?? Date.now);
  const detail = scrubSecrets(parsed.message ?? input.body.slice(0, 300), input.secrets ?? []).trim();
  const options: ConstructorParameters<typeof ProviderError>[0] = {
    errorClass,
    provider: input.provider,
    upstreamStatus: input.status,
    message: `${input.provider} answered ${input.status}${detail === '' ? '.' : `: ${detail}`}`,
  };
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  const code = parsed.code ?? parsed.type;
  if (code !== undefined) options.providerCode = code;
  return new ProviderError(options);
}

function classify(status: number, parsed: ParsedBody): ErrorClass {
  const code = `${parsed.code ?? ''} ${parsed.type ?? ''}`;
  const text = `${code} ${parsed.message ?? ''}`;
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'upstream_5xx';
  if (status >= 400) {
    if (/context_length_exceeded/.test(code) || CONTEXT_WINDOW.test(text)) return 'context_window_exceeded';
    if (/content_policy_violation|content_filter/.test(code) || CONTENT_POLICY.test(text))
      return 'content_policy';
    if (/rate_limit_error/.test(code)) return 'rate_limit';
    if (/overloaded_error/.test(code)) return 'upstream_5xx';
    return 'bad_request';
  }
  return 'unknown';
}

function parseBody(body: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return {};
  }
  // OpenAI and Azure: {error: {message, type, code}}; Anthropic: {type: 'error', error: {type, message}}.
  const error = (value as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { message: error };
  if (typeof error !== 'object' || error === null) return {};
  const fields = error as Record<string, unknown>;
  const out: ParsedBody = {};
  if (typeof fields.message === 'string') out.message = fields.message;
  if (typeof fields.code === 'string') out.code = fields.code;
  if (typeof fields.type === 'string') out.type = fields.type;
  return out;
}

function header(headers: HeaderValues, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `retry-after-ms` (OpenAI, Azure), else `retry-after` in seconds or as an HTTP date. */
export function retryAfterOf(headers: HeaderValues, now: () => number = Date.now): number | undefined {
  const milliseconds = header(headers, 'retry-after-ms');
  if (milliseconds !== undefined && Number.isFinite(Number(milliseconds)))
    return Math.max(0, Number(milliseconds));
  const value = header(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}
