import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContent, type MockUpstream, startMockUpstream } from '../src/index.ts';
import { anthropicHeaders, chatBody, dataPayloads, openAIHeaders, rawRequest } from './raw-http.ts';

let mock: MockUpstream;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream({ models: { 'my-deployment': { content: 'From Azure.' } } });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${mock.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await mock.close();
});

function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < vector.length; index += 1) sum += (vector[index] ?? 0) ** 2;
  return Math.sqrt(sum);
}

describe('embeddings', () => {
  it('returns deterministic unit vectors through the official client (base64 on the wire)', async () => {
    const first = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
    });
    const again = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha' });
    expect(first.object).toBe('list');
    expect(first.data).toHaveLength(2);
    expect(first.data[0]?.embedding).toHaveLength(1536);
    expect(norm(first.data[0]?.embedding ?? [])).toBeCloseTo(1, 4);
    expect(again.data[0]?.embedding).toEqual(first.data[0]?.embedding);
    expect(first.data[1]?.embedding).not.toEqual(first.data[0]?.embedding);
    expect(mock.requests.at(-1)?.body).toMatchObject({ encoding_format: 'base64' });
    expect(first.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('honours dimensions and float encoding', async () => {
    const result = await rawRequest(`${mock.url}/v1/embeddings`, {
      headers: { authorization: 'Bearer k' },
      body: { model: 'text-embedding-3-large', input: 'x', dimensions: 8, encoding_format: 'float' },
    });
    const body = JSON.parse(result.body);
    expect(body.data[0].embedding).toHaveLength(8);
    expect(body.data[0]).toMatchObject({ object: 'embedding', index: 0 });
    expect(body.model).toBe('text-embedding-3-large');
  });
});

describe('models', () => {
  it('lists configured and well-known models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('my-deployment');
    expect(ids).toContain('gpt-4o-mini');
    const one = await client.models.retrieve('gpt-4o-mini');
    expect(one).toMatchObject({ id: 'gpt-4o-mini', object: 'model', owned_by: 'openai' });
  });

  it('answers an unknown model with 404 model_not_found', async () => {
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('names the requested id, not another model, in the 404 of models.retrieve', async () => {
    const error = await client.models.retrieve('gpt-nope').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const body = (error as InstanceType<typeof OpenAI.NotFoundError>).error as {
      message: string;
      code: string;
    };
    expect(body.code).toBe('model_not_found');
    expect(body.message).toContain('`gpt-nope`');
    const anthropic = await rawRequest(`${mock.url}/v1/models/claude-nope`, {
      method: 'GET',
      headers: anthropicHeaders,
    });
    expect(anthropic.status).toBe(404);
    expect(JSON.parse(anthropic.body)).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: claude-nope' },
    });
  });

  it('answers a path with malformed percent escapes as an unknown URL (404), not an internal error', async () => {
    const retrieve = await rawRequest(`${mock.url}/v1/models/%E0%A4%A`, {
      method: 'GET',
      headers: openAIHeaders,
    });
    expect(retrieve.status).toBe(404);
    expect(JSON.parse(retrieve.body)).toMatchObject({ error: { type: 'invalid_request_error' } });
    const azure = await rawRequest(
      `${mock.url}/openai/deployments/%E0%A4%A/chat/completions?api-version=2024-10-21`,
      { headers: { 'api-key': 'k' }, body: chatBody('x') },
    );
    expect(azure.status).toBe(404);
  });
});

describe('legacy completions', () => {
  it('answers a text completion, stopping at the 16-token default only when longer', async () => {
    const completion = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toBe(defaultContent);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams text completion chunks ending with [DONE]', async () => {
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'x',
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(defaultContent);
  });
});

describe('Azure OpenAI', () => {
  const azure = () =>
    new AzureOpenAI({
      apiKey: 'azure-key',
      endpoint: mock.url,
      apiVersion: '2024-10-21',
      deployment: 'my-deployment',
      maxRetries: 0,
    });

  it('serves chat on the deployment route with the deployment as the model', async () => {
    const completion = await azure().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('From Azure.');
    const request = mock.requests.at(-1);
    expect(request).toMatchObject({
      dialect: 'azure',
      model: 'my-deployment',
      path: '/openai/deployments/my-deployment/chat/completions',
      query: { 'api-version': '2024-10-21' },
    });
    expect(request?.headers['api-key']).toBe('[redacted]');
  });

  it('opens a stream with the prompt filter chunk, which the client tolerates', async () => {
    const stream = await azure().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    let first: unknown;
    for await (const chunk of stream) {
      first ??= chunk;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(first).toMatchObject({ choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    expect(text).toBe('From Azure.');
  });

  it('serves embeddings on the deployment route', async () => {
    const result = await azure().embeddings.create({ model: 'x', input: 'hello' });
    expect(result.data[0]?.embedding).toHaveLength(1536);
  });

  it('answers 404 Resource not found without api-version', async () => {
    const result = await rawRequest(`${mock.url}/openai/deployments/my-deployment/chat/completions`, {
      headers: { 'api-key': 'k' },
      body: chatBody('x'),
    });
    expect(result.status).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });

  it('answers 401 in Azure format without a key, and 429 with Retry-After', async () => {
    const url = `${mock.url}/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21`;
    const missing = await rawRequest(url, { body: chatBody('x') });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error.code).toBe('401');
    const limited = await rawRequest(url, {
      headers: { 'api-key': 'k', 'x-mock-scenario': JSON.stringify({ status: 429, retryAfter: 6 }) },
      body: chatBody('x', { stream: true }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('6');
    expect(JSON.parse(limited.body).error.message).toContain('Please retry after 6 seconds');
  });

  it('answers a content filter error with Azure innererror', async () => {
    const result = await rawRequest(
      `${mock.url}/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21`,
      {
        headers: { 'api-key': 'k', 'x-mock-scenario': '{"errorCode":"content_policy_violation"}' },
        body: chatBody('x'),
      },
    );
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error).toMatchObject({
      code: 'content_filter',
      innererror: { code: 'ResponsibleAIPolicyViolation' },
    });
    expect(dataPayloads(result.body)).toEqual([]);
  });
});
