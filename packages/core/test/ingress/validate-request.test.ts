import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/errors/invalid-request-error.ts';
import { formatAnthropicError, formatOpenAIError } from '../../src/ingress/error-format.ts';
import { type IngressOperation, validateRequest } from '../../src/ingress/validate-request.ts';

function rejection(operation: IngressOperation, body: unknown): InvalidRequestError {
  try {
    validateRequest(operation, body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected a validation error');
}

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

describe('chat completions', () => {
  it('accepts a valid request and keeps unknown fields for the provider to judge', () => {
    const body = { ...chat, temperature: 0.2, vendor_flag: true };
    expect(validateRequest('chat', body)).toEqual(body);
  });

  it('accepts tools, tool messages, images and nullable OpenAI SDK defaults', () => {
    expect(() =>
      validateRequest('chat', {
        model: 'm',
        stream: null,
        max_tokens: null,
        messages: [
          { role: 'developer', content: 'rules' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x' },
              { type: 'image_url', image_url: { url: 'https://a/b.png' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: '1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: '1', content: 'r' },
        ],
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
        stream_options: { include_usage: true },
      }),
    ).not.toThrow();
  });

  it.each([
    [{ ...chat, messages: [{ role: 'robot', content: 'hi' }] }, 'messages[0].role'],
    [{ ...chat, messages: [{ role: 'user' }] }, 'messages[0].content'],
    [{ ...chat, messages: [] }, 'messages'],
    [{ messages: chat.messages }, 'model'],
    [{ ...chat, temperature: 3 }, 'temperature'],
    [{ ...chat, max_tokens: 0 }, 'max_tokens'],
    [{ ...chat, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [{ ...chat, tools: [{ type: 'function', function: { name: 'bad name!' } }] }, 'tools[0].function.name'],
    [
      {
        ...chat,
        messages: [chat.messages[0], { role: 'user', content: [{ type: 'image_url', image_url: {} }] }],
      },
      'messages[1].content[0].image_url.url',
    ],
    [{ ...chat, tool_choice: 'sometimes' }, 'tool_choice'],
  ])('names the bad field %#: %s', (body, param) => {
    const error = rejection('chat', body);
    expect(error.param).toBe(param);
    expect(error.status).toBe(400);
    expect(error.message).toContain(param);
  });

  it.each([
    [{ messages: chat.messages }, 'model'],
    [{ ...chat, messages: [{ role: 'user' }] }, 'messages[0].content'],
    [{ ...chat, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
  ])('says a required field is missing, as OpenAI words it %#: %s', (body, param) => {
    const error = rejection('chat', body);
    expect(error.message).toBe(`Missing required parameter: '${param}'.`);
    expect(error.code).toBe('GW_ERR_MISSING_PARAMETER');
    expect(formatOpenAIError(error).body.error).toMatchObject({ param, code: 'GW_ERR_MISSING_PARAMETER' });
  });

  it('says a present field of the wrong type is invalid, not missing', () => {
    const error = rejection('chat', { ...chat, temperature: 'hot' });
    expect(error.message).toMatch(/^Invalid value for 'temperature': .*expected number/);
    expect(error.code).toBe('GW_ERR_INVALID_REQUEST');
  });

  it('rejects a body that is not an object', () => {
    expect(rejection('chat', [1, 2]).param).toBeNull();
    expect(rejection('chat', 'text').message).toMatch(/JSON object/);
  });
});

describe('completions and embeddings', () => {
  it('validates prompt and input', () => {
    expect(validateRequest('completions', { model: 'm', prompt: ['a', 'b'] })).toBeDefined();
    expect(rejection('completions', { model: 'm' }).param).toBe('prompt');
    expect(validateRequest('embeddings', { model: 'm', input: [[1, 2]] })).toBeDefined();
    expect(rejection('embeddings', { model: 'm', input: [] }).param).toBe('input');
    expect(rejection('embeddings', { model: 'm', input: 'x', encoding_format: 'hex' }).param).toBe(
      'encoding_format',
    );
  });

  it('needs no body for the models list', () => {
    expect(validateRequest('models', undefined)).toBeUndefined();
  });
});

describe('Anthropic messages and count_tokens', () => {
  const messages = { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

  it('accepts valid requests with blocks', () => {
    expect(() =>
      validateRequest('messages', {
        ...messages,
        system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'ok' }] },
        ],
        tools: [{ name: 'f', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any' },
      }),
    ).not.toThrow();
    expect(validateRequest('count_tokens', { model: 'claude', messages: messages.messages })).toBeDefined();
  });

  it.each([
    [{ ...messages, max_tokens: undefined }, 'max_tokens'],
    [{ ...messages, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role'],
    [
      {
        ...messages,
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png' } }] },
        ],
      },
      'messages[0].content[0].source.data',
    ],
    [{ ...messages, tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    [{ ...messages, temperature: 1.5 }, 'temperature'],
  ])('names the bad field %#: %s', (body, param) => {
    expect(rejection('messages', body).param).toBe(param);
  });
});

describe('errors in the caller format', () => {
  it('formats a validation error the way OpenAI does', () => {
    const error = rejection('chat', { ...chat, messages: [{ role: 'robot', content: 'x' }] });
    expect(formatOpenAIError(error)).toEqual({
      status: 400,
      body: {
        error: {
          message: error.message,
          type: 'invalid_request_error',
          param: 'messages[0].role',
          code: null,
        },
      },
    });
  });

  it('formats a validation error the way Anthropic does', () => {
    const error = rejection('messages', { model: 'c', messages: [{ role: 'user', content: 'x' }] });
    expect(formatAnthropicError(error)).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: error.message } },
    });
    expect(error.message).toContain('max_tokens');
  });
});
