import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MockUpstream, type Scenario, startMockUpstream } from '../src/index.ts';
import { chatBody, dataPayloads, openAIHeaders, rawRequest } from './raw-http.ts';

let mock: MockUpstream;

beforeEach(async () => {
  mock = await startMockUpstream();
});

afterEach(async () => {
  await mock.close();
});

function chat(scenario: Scenario, extra: Record<string, unknown> = {}, onData?: (body: string) => void) {
  return rawRequest(`${mock.url}/v1/chat/completions`, {
    headers: { ...openAIHeaders, 'x-mock-scenario': JSON.stringify(scenario) },
    body: chatBody('gpt-4o-mini', extra),
    ...(onData === undefined ? {} : { onData }),
  });
}

function contentDeltas(body: string): string[] {
  return dataPayloads(body)
    .filter((payload) => payload !== '[DONE]')
    .flatMap((payload) => {
      try {
        const content = JSON.parse(payload).choices?.[0]?.delta?.content;
        return typeof content === 'string' && content !== '' ? [content] : [];
      } catch {
        return [];
      }
    });
}

describe('status faults', () => {
  it('answers 429 with Retry-After and the OpenAI rate-limit body', async () => {
    const result = await chat({ status: 429, retryAfter: 7 });
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('7');
    expect(JSON.parse(result.body)).toEqual({
      error: {
        message: expect.stringContaining('Rate limit reached for gpt-4o-mini'),
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
  });

  it('answers 429 without Retry-After when none is scripted', async () => {
    const result = await chat({ status: 429 });
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it.each([
    [500, 'server_error', null],
    [503, 'server_error', null],
    [401, 'invalid_request_error', 'invalid_api_key'],
  ])('answers %i with type %s and code %s', async (status, type, code) => {
    const result = await chat({ status });
    expect(result.status).toBe(status);
    const body = JSON.parse(result.body);
    expect(Object.keys(body.error)).toEqual(['message', 'type', 'param', 'code']);
    expect(body.error).toMatchObject({ type, code });
  });

  it('answers 400 context_length_exceeded with param messages', async () => {
    const result = await chat({ status: 400, errorCode: 'context_length_exceeded' });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
      message: expect.stringContaining('maximum context length'),
    });
  });

  it('answers 400 content_policy_violation when only the error code is scripted', async () => {
    const result = await chat({ errorCode: 'content_policy_violation' });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error).toMatchObject({ code: 'content_policy_violation' });
  });

  it('adds the scripted extra headers to errors and successes', async () => {
    const headers = { 'x-ratelimit-remaining-tokens': '42' };
    const failed = await chat({ status: 429, headers });
    const streamed = await chat({ headers }, { stream: true });
    expect(failed.headers['x-ratelimit-remaining-tokens']).toBe('42');
    expect(streamed.headers['x-ratelimit-remaining-tokens']).toBe('42');
  });

  it('lets errorMessage override the provider text', async () => {
    const result = await chat({ status: 500, errorMessage: 'boom' });
    expect(JSON.parse(result.body).error.message).toBe('boom');
  });
});

describe('failFirst', () => {
  it('fails the first N attempts of a model, then succeeds', async () => {
    mock.setScenario('flaky', { status: 503, failFirst: 2 });
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const result = await rawRequest(`${mock.url}/v1/chat/completions`, {
        headers: openAIHeaders,
        body: chatBody('flaky'),
      });
      statuses.push(result.status ?? 0);
    }
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(mock.requests.map((request) => request.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('starts counting again after reset()', async () => {
    mock.setScenario('flaky', { status: 500, failFirst: 1 });
    const first = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('flaky'),
    });
    mock.reset();
    const again = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('flaky'),
    });
    expect([first.status, again.status]).toEqual([500, 500]);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('connection faults', () => {
  it('resets the TCP connection before any header', async () => {
    const result = await chat({ reset: true });
    expect(result.status).toBeUndefined();
    expect(result.error?.code).toBe('ECONNRESET');
    expect(mock.requests).toHaveLength(1);
  });

  it('never answers a silent request, and close() ends it', async () => {
    const pending = chat({ silent: true });
    await mock.waitForRequests(1);
    await mock.close();
    const result = await pending;
    expect(result.status).toBeUndefined();
    expect(result.error).toBeDefined();
  });

  it('cuts a stream after N chunks with no terminator', async () => {
    const result = await chat({ cutAfterChunks: 2 }, { stream: true });
    expect(result.status).toBe(200);
    expect(contentDeltas(result.body)).toEqual(['The', ' quick']);
    expect(result.body).not.toContain('[DONE]');
    expect(result.body).not.toContain('finish_reason":"stop"');
    expect(result.error).toBeDefined();
  });

  it('stalls a stream after N chunks, keeping the socket open until close()', async () => {
    let closing: Promise<void> | undefined;
    const result = await chat({ stallAfterChunks: 3 }, { stream: true }, (body) => {
      if (closing === undefined && contentDeltas(body).length === 3) closing = mock.close();
    });
    await closing;
    expect(contentDeltas(result.body)).toEqual(['The', ' quick', ' brown']);
    expect(result.body).not.toContain('[DONE]');
    expect(result.error).toBeDefined();
  });

  it('cuts a JSON reply halfway through its body', async () => {
    const result = await chat({ cutAfterChunks: 0 });
    expect(result.status).toBe(200);
    expect(() => JSON.parse(result.body)).toThrow();
    expect(result.error).toBeDefined();
  });
});

describe('stream faults', () => {
  it('inserts one invalid-JSON data line at chunk N and continues', async () => {
    const result = await chat({ malformedChunkAt: 2 }, { stream: true });
    const payloads = dataPayloads(result.body);
    const invalid = payloads.filter((payload) => {
      if (payload === '[DONE]') return false;
      try {
        JSON.parse(payload);
        return false;
      } catch {
        return true;
      }
    });
    expect(invalid).toHaveLength(1);
    expect(payloads.indexOf(invalid[0] ?? '')).toBe(2);
    expect(contentDeltas(result.body).join('')).toBe('The quick brown fox jumps over the lazy dog.');
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('ends cleanly without [DONE] when omitDone is set', async () => {
    const result = await chat({ omitDone: true }, { stream: true });
    expect(result.error).toBeUndefined();
    expect(result.body).toContain('"finish_reason":"stop"');
    expect(result.body).not.toContain('[DONE]');
  });

  it('sends an in-stream error line after the scripted chunks', async () => {
    const result = await chat({ streamError: { afterChunks: 1, message: 'overloaded' } }, { stream: true });
    const payloads = dataPayloads(result.body);
    expect(contentDeltas(result.body)).toEqual(['The']);
    expect(JSON.parse(payloads.at(-1) ?? '{}')).toEqual({
      error: { message: 'overloaded', type: 'server_error', param: null, code: null },
    });
  });

  it('rejects an assistant prefill with a 400 when rejectPrefill is set', async () => {
    const prefill = {
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Sure,' },
      ],
    };
    const rejected = await chat({ rejectPrefill: true }, prefill);
    expect(rejected.status).toBe(400);
    expect(JSON.parse(rejected.body).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'messages',
    });
    const accepted = await chat({}, prefill);
    expect(accepted.status).toBe(200);
  });

  it('answers a malformed x-mock-scenario header with a 400', async () => {
    const result = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: { ...openAIHeaders, 'x-mock-scenario': '{not json' },
      body: chatBody('gpt-4o-mini'),
    });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error.message).toContain('x-mock-scenario');
  });
});
