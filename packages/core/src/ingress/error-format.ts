// Errors in the caller's protocol: OpenAI and Anthropic JSON bodies and SSE error events, from any thrown value.
import { GwError } from '@gw/errors';
import type { AnthropicErrorBody } from '../types/anthropic.ts';
import type { OpenAIErrorBody } from '../types/openai.ts';

export interface FormattedError<Body> {
  status: number;
  body: Body;
}

function asGwError(error: unknown): GwError {
  if (GwError.isInstance(error)) return error;
  // Unknown failures may carry internals; callers get a generic message and the logs get the cause.
  return new GwError({
    code: 'GW_ERR_INTERNAL',
    message: 'The gateway failed to handle the request.',
    status: 500,
    cause: error,
  });
}

function openAIType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 408 || status === 504) return 'timeout_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** A type of the error's own (LiteLLM's `budget_exceeded`), else the one its status implies. */
function typeOf(error: GwError): string {
  const own = error.details?.errorType;
  return typeof own === 'string' ? own : openAIType(error.status);
}

function anthropicType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 408 || status === 504) return 'timeout_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function paramOf(error: GwError): string | null {
  const param = error.details?.param;
  return typeof param === 'string' ? param : null;
}

function codeOf(error: GwError): string | null {
  const providerCode = error.details?.providerCode;
  if (typeof providerCode === 'string') return providerCode;
  if (error.code === 'GW_ERR_INVALID_REQUEST') return null;
  return error.code;
}

/** `{"error":{"message","type","param","code"}}` with the status the caller should see. */
export function formatOpenAIError(error: unknown): FormattedError<OpenAIErrorBody> {
  const gw = asGwError(error);
  return {
    status: gw.status,
    body: {
      error: { message: gw.message, type: typeOf(gw), param: paramOf(gw), code: codeOf(gw) },
    },
  };
}

/** `{"type":"error","error":{"type","message"}}` with the status the caller should see. */
export function formatAnthropicError(error: unknown): FormattedError<AnthropicErrorBody> {
  const gw = asGwError(error);
  return {
    status: gw.status,
    body: { type: 'error', error: { type: anthropicType(gw.status), message: gw.message } },
  };
}

/** An OpenAI-style in-stream error; the stream must end after it, without `data: [DONE]`. */
export function openAIErrorEvent(error: unknown): string {
  return `data: ${JSON.stringify(formatOpenAIError(error).body)}\n\n`;
}

/** Anthropic's `event: error` SSE event. */
export function anthropicErrorEvent(error: unknown): string {
  return `event: error\ndata: ${JSON.stringify(formatAnthropicError(error).body)}\n\n`;
}
