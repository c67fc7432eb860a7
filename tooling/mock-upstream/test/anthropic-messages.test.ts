import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContent, type MockUpstream, startMockUpstream } from '../src/index.ts';
import { anthropicHeaders, rawRequest } from './raw-http.ts';

let mock: MockUpstream;
let client: Anthropic;

const model = 'claude-mock-1';

beforeAll(async () => {
  mock = await startMockUpstream({
    models: {
      'claude-tool': { toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } },
      'claude-cached': { usage: { promptTokens: 100, cachedTokens: 80, cacheCreationTokens: 20 } },
    },
  });
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: mock.url, maxRetries: 0 });
});

afterAll(async () => {
  await mock.close();
});

function messages(body: Record<string, unknown>, scenario?: object) {
  return rawRequest(`${mock.url}/v1/messages`, {
    headers: { ...anthropicHeaders, ...(scenario ? { 'x-mock-scenario': JSON.stringify(scenario) } : {}) },
    body: { model, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], ...body },
  });
}

function events(body: string): { event: string; data: string }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      return {
        event: lines.find((line) => line.startsWith('event: '))?.slice(7) ?? '',
        data: lines.find((line) => line.startsWith('data: '))?.slice(6) ?? '',
      };
    });
}

describe('Anthropic messages', () => {
  it('answers a JSON message the official client parses', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe(model);
    expect(message.content).toEqual([{ type: 'text', text: defaultContent }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).toBeNull();
    expect(message.usage.output_tokens).toBe(9);
    expect(message.usage.cache_read_input_tokens).toBe(0);
  });

  it('reports cache usage fields', async () => {
    const message = await client.messages.create({
      model: 'claude-cached',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.usage).toMatchObject({
      input_tokens: 100,
      cache_read_input_tokens: 80,
      cache_creation_input_tokens: 20,
    });
  });

  it('stops with stop_sequence and with max_tokens', async () => {
    const stopped = await client.messages.create({
      model,
      max_tokens: 100,
      stop_sequences: ['jumps'],
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(stopped.stop_reason).toBe('stop_sequence');
    expect(stopped.stop_sequence).toBe('jumps');
    expect(stopped.content).toEqual([{ type: 'text', text: 'The quick brown fox ' }]);
    const limited = await client.messages.create({
      model,
      max_tokens: 2,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(limited.stop_reason).toBe('max_tokens');
    expect(limited.content).toEqual([{ type: 'text', text: 'The quick' }]);
  });

  it('streams the full event sequence the official client assembles', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: defaultContent }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(9);
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types.filter((type) => type === 'content_block_delta')).toHaveLength(9);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('streams a tool_use block as input_json_delta events', async () => {
    const stream = client.messages.stream({
      model: 'claude-tool',
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    let jsonDeltas = 0;
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') jsonDeltas += 1;
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([
      {
        type: 'tool_use',
        id: expect.stringMatching(/^toolu_/),
        name: 'get_weather',
        input: { city: 'Paris' },
      },
    ]);
    expect(jsonDeltas).toBeGreaterThan(1);
  });

  it('writes event names and ping exactly like the API', async () => {
    const result = await messages({ stream: true }, { chunks: 1 });
    const sequence = events(result.body).map((event) => event.event);
    expect(sequence).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(result.body).toContain('event: ping\ndata: {"type": "ping"}\n\n');
    const delta = JSON.parse(events(result.body)[5]?.data ?? '{}');
    expect(delta).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 1 },
    });
  });

  it('sends an in-stream overloaded_error event and no message_stop', async () => {
    const result = await messages({ stream: true }, { streamError: { afterChunks: 2 } });
    const all = events(result.body);
    expect(all.filter((event) => event.event === 'content_block_delta')).toHaveLength(2);
    expect(all.at(-1)?.event).toBe('error');
    expect(JSON.parse(all.at(-1)?.data ?? '{}')).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(result.body).not.toContain('message_stop');
  });

  it('makes the official client throw on an in-stream error', async () => {
    const stream = await client.messages.create(
      { model, max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'x' }] },
      { headers: { 'x-mock-scenario': JSON.stringify({ streamError: { afterChunks: 1 } }) } },
    );
    const consume = async () => {
      for await (const _event of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow(/Overloaded/);
  });

  it('leaves out message_stop when omitDone is set', async () => {
    const result = await messages({ stream: true }, { omitDone: true });
    expect(result.error).toBeUndefined();
    expect(result.body).toContain('event: message_delta');
    expect(result.body).not.toContain('message_stop');
  });

  it('inserts a malformed data line at chunk N', async () => {
    const result = await messages({ stream: true }, { malformedChunkAt: 1 });
    const invalid = events(result.body).filter((event) => {
      try {
        JSON.parse(event.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(invalid).toHaveLength(1);
    expect(result.body).toContain('event: message_stop');
  });

  it('cuts an Anthropic stream after N deltas', async () => {
    const result = await messages({ stream: true }, { cutAfterChunks: 1 });
    expect(events(result.body).filter((event) => event.event === 'content_block_delta')).toHaveLength(1);
    expect(result.body).not.toContain('message_stop');
    expect(result.error).toBeDefined();
  });
});

describe('Anthropic models', () => {
  it('lists models in the Anthropic page shape when anthropic-version is sent', async () => {
    const page = await client.models.list();
    const ids = page.data.map((entry) => entry.id);
    expect(ids).toContain('claude-tool');
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: expect.any(String) });
    expect(page.has_more).toBe(false);
  });
});

describe('Anthropic errors', () => {
  it('requires x-api-key', async () => {
    const result = await rawRequest(`${mock.url}/v1/messages`, {
      headers: { 'anthropic-version': '2023-06-01' },
      body: { model, max_tokens: 10, messages: [] },
    });
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body)).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it('requires anthropic-version', async () => {
    const result = await rawRequest(`${mock.url}/v1/messages`, {
      headers: { 'x-api-key': 'k' },
      body: { model, max_tokens: 10, messages: [] },
    });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error).toEqual({
      type: 'invalid_request_error',
      message: 'anthropic-version: header is required',
    });
  });

  it('requires max_tokens', async () => {
    const result = await rawRequest(`${mock.url}/v1/messages`, {
      headers: anthropicHeaders,
      body: { model, messages: [{ role: 'user', content: 'x' }] },
    });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error.message).toBe('max_tokens: Field required');
  });

  it.each([
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [503, 'overloaded_error'],
    [529, 'overloaded_error'],
    [401, 'authentication_error'],
  ])('maps status %i to error type %s', async (status, type) => {
    const result = await messages({}, { status, retryAfter: 2 });
    expect(result.status).toBe(status);
    expect(result.headers['retry-after']).toBe('2');
    expect(JSON.parse(result.body)).toMatchObject({ type: 'error', error: { type } });
  });

  it('answers context length and content policy errors as invalid_request_error', async () => {
    const context = await messages({}, { errorCode: 'context_length_exceeded' });
    expect(JSON.parse(context.body).error).toEqual({
      type: 'invalid_request_error',
      message: expect.stringContaining('prompt is too long'),
    });
    const policy = await messages({}, { errorCode: 'content_policy_violation' });
    expect(policy.status).toBe(400);
    expect(JSON.parse(policy.body).error.type).toBe('invalid_request_error');
  });

  it('rejects a prefilled assistant turn when rejectPrefill is set', async () => {
    const result = await messages(
      {
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: '{' },
        ],
      },
      { rejectPrefill: true },
    );
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error.message).toContain('prefill');
  });

  it('surfaces a scripted 429 as the client RateLimitError', async () => {
    await expect(
      client.messages.create(
        { model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-mock-scenario': JSON.stringify({ status: 429 }) } },
      ),
    ).rejects.toBeInstanceOf(Anthropic.RateLimitError);
  });
});
