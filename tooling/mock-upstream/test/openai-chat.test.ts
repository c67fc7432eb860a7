import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContent, type MockUpstream, startMockUpstream } from '../src/index.ts';
import { chatBody, dataPayloads, openAIHeaders, rawRequest } from './raw-http.ts';

let mock: MockUpstream;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream({
    models: {
      'tool-model': { toolCall: { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } },
      'scripted-model': {
        content: 'Scripted answer here.',
        usage: { promptTokens: 11, completionTokens: 7, cachedTokens: 3 },
      },
    },
  });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${mock.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await mock.close();
});

describe('OpenAI chat completions', () => {
  it('answers a JSON completion the official client parses', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: defaultContent });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBe(9);
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + 9);
  });

  it('uses the per-model content and usage numbers', async () => {
    const completion = await client.chat.completions.create({
      model: 'scripted-model',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Scripted answer here.');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 7,
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 3 },
    });
  });

  it('streams role, content deltas, finish reason and a usage chunk the client reassembles', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let role: string | undefined;
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.role !== undefined) role = choice.delta.role;
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(role).toBe('assistant');
    expect(deltas.join('')).toBe(defaultContent);
    expect(deltas).toHaveLength(9);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(9);
  });

  it('streams a tool call as argument deltas that join to the full arguments', async () => {
    const runner = client.chat.completions.stream({
      model: 'tool-model',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    });
    let argumentDeltas = 0;
    runner.on('chunk', (chunk) => {
      if (chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments) argumentDeltas += 1;
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' ? call.function.name : undefined).toBe('get_weather');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({
      city: 'Paris',
      unit: 'celsius',
    });
    expect(argumentDeltas).toBeGreaterThan(1);
  });

  it('answers a JSON tool call with null content', async () => {
    const completion = await client.chat.completions.create({
      model: 'tool-model',
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    const message = completion.choices[0]?.message;
    expect(message?.content).toBeNull();
    expect(message?.tool_calls?.[0]?.id).toMatch(/^call_/);
  });

  it('splits the content into the scripted number of chunks', async () => {
    const result = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: { ...openAIHeaders, 'x-mock-scenario': JSON.stringify({ chunks: 3, content: 'abcdefghi' }) },
      body: chatBody('gpt-4o-mini', { stream: true }),
    });
    const contents = dataPayloads(result.body)
      .filter((payload) => payload !== '[DONE]')
      .map((payload) => JSON.parse(payload).choices[0]?.delta?.content)
      .filter((content) => typeof content === 'string' && content !== '');
    expect(contents).toEqual(['abc', 'def', 'ghi']);
  });

  it('sends usage null on every chunk and ends with [DONE] when include_usage is set', async () => {
    const result = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('gpt-4o-mini', { stream: true, stream_options: { include_usage: true } }),
    });
    expect(result.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(result.body.endsWith('data: [DONE]\n\n')).toBe(true);
    const payloads = dataPayloads(result.body);
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload));
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 9 } });
  });

  it('stops with finish_reason length at max_tokens and at a stop sequence', async () => {
    const limited = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(limited.choices[0]?.message.content).toBe('The quick brown');
    expect(limited.choices[0]?.finish_reason).toBe('length');
    const stopped = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stop: [' fox'],
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(stopped.choices[0]?.message.content).toBe('The quick brown');
    expect(stopped.choices[0]?.finish_reason).toBe('stop');
  });

  it('rejects a request without a bearer token with OpenAI 401 body', async () => {
    const result = await rawRequest(`${mock.url}/v1/chat/completions`, { body: chatBody('gpt-4o-mini') });
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body)).toEqual({
      error: {
        message: expect.stringContaining("You didn't provide an API key"),
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('answers invalid JSON and unknown paths with OpenAI errors', async () => {
    const invalid = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: '{nope',
    });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.message).toContain('could not parse the JSON body');
    const unknown = await rawRequest(`${mock.url}/v1/nothing`, { headers: openAIHeaders, body: {} });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.message).toBe('Invalid URL (POST /v1/nothing)');
  });
});
