import { GwError } from '@gw/errors';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/provider-error.ts';
import {
  anthropicErrorEvent,
  formatAnthropicError,
  formatOpenAIError,
  openAIErrorEvent,
} from '../../src/ingress/error-format.ts';
import { createOpenAISseEncoder } from '../../src/stream/openai-sse-encoder.ts';

const rateLimited = new ProviderError({
  errorClass: 'rate_limit',
  provider: 'openai',
  upstreamStatus: 429,
  retryAfterMs: 2000,
  providerCode: 'rate_limit_exceeded',
  message: 'openai answered 429: slow down',
});

describe('error formatters', () => {
  it.each([
    [400, 'invalid_request_error', 'invalid_request_error'],
    [401, 'authentication_error', 'authentication_error'],
    [403, 'permission_error', 'permission_error'],
    [404, 'not_found_error', 'not_found_error'],
    [429, 'rate_limit_error', 'rate_limit_error'],
    [500, 'api_error', 'api_error'],
    [503, 'api_error', 'overloaded_error'],
    [504, 'timeout_error', 'timeout_error'],
  ])('status %i is %s (OpenAI) and %s (Anthropic)', (status, openAIType, anthropicType) => {
    const error = new GwError({ code: 'GW_ERR_TEST', message: 'm', status });
    expect(formatOpenAIError(error)).toEqual({
      status,
      body: { error: { message: 'm', type: openAIType, param: null, code: 'GW_ERR_TEST' } },
    });
    expect(formatAnthropicError(error)).toEqual({
      status,
      body: { type: 'error', error: { type: anthropicType, message: 'm' } },
    });
  });

  it("uses the provider's own code for provider errors and the client-facing status", () => {
    expect(formatOpenAIError(rateLimited)).toEqual({
      status: 429,
      body: {
        error: {
          message: 'openai answered 429: slow down',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    });
  });

  it("gives an error its own OpenAI type when it names one, as LiteLLM's budget_exceeded", () => {
    const spent = new GwError({
      code: 'GW_ERR_BUDGET_EXCEEDED',
      status: 400,
      message: 'Budget exceeded for this key.',
      details: { errorType: 'budget_exceeded' },
    });
    expect(formatOpenAIError(spent)).toEqual({
      status: 400,
      body: {
        error: {
          message: 'Budget exceeded for this key.',
          type: 'budget_exceeded',
          param: null,
          code: 'GW_ERR_BUDGET_EXCEEDED',
        },
      },
    });
    expect(formatAnthropicError(spent).body.error.type).toBe('invalid_request_error');
  });

  it('never leaks the message of an unexpected exception', () => {
    const formatted = formatOpenAIError(new Error('connect ECONNREFUSED with key sk-live-abcdef123456'));
    expect(formatted.status).toBe(500);
    expect(JSON.stringify(formatted)).not.toContain('sk-live');
  });

  it('writes SSE error events: OpenAI data line without [DONE], Anthropic event: error', () => {
    expect(openAIErrorEvent(rateLimited)).toBe(
      'data: {"error":{"message":"openai answered 429: slow down","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}\n\n',
    );
    expect(anthropicErrorEvent(rateLimited)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"openai answered 429: slow down"}}\n\n',
    );
  });

  it('encodes OpenAI chunks one by one and ends with [DONE] only on success', () => {
    const encoder = createOpenAISseEncoder();
    expect(encoder.chunk({ a: 1 })).toBe('data: {"a":1}\n\n');
    expect(encoder.end()).toBe('data: [DONE]\n\n');
    expect(encoder.error(rateLimited)).not.toContain('[DONE]');
  });
});
