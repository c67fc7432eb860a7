import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASTER_KEY, type Stack, startStack } from './stack.ts';

let stack: Stack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack();
  client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
});
afterAll(() => stack.close());
beforeEach(() => stack.mock.reset());

describe('the official openai client against the proxy', () => {
  it('answers a chat completion from the upstream with gw headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('The quick brown fox jumps over the lazy dog.');
    expect(data.usage?.completion_tokens).toBe(9);
    expect(response.headers.get('x-gw-model-group')).toBe('gpt-4o');
    expect(response.headers.get('x-gw-deployment')).toBe('openai/gpt-4o');
    expect(response.headers.get('x-gw-attempts')).toBe('1');
    expect(Number(response.headers.get('x-gw-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(Number(response.headers.get('x-gw-cost'))).toBeGreaterThan(0);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(stack.mock.requests).toHaveLength(1);
    expect(stack.mock.requests[0]?.path).toBe('/v1/chat/completions');
  });

  /** The x-request-id the proxy answers a chat completion sent with `requestId`. */
  async function answeredRequestId(requestId: string): Promise<string | null> {
    const { response } = await client.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();
    return response.headers.get('x-request-id');
  }

  it('echoes the caller x-request-id', async () => {
    expect(await answeredRequestId('req-from-caller-42')).toBe('req-from-caller-42');
  });

  it('replaces a caller x-request-id that could inject markup or lines, the same id for caller and upstream', async () => {
    const id = await answeredRequestId('<script>alert(1)</script>');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stack.mock.requests[0]?.headers['x-request-id']).toBe(id);
  });

  it('streams content deltas and a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usageTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usageTokens = chunk.usage.completion_tokens;
    }
    expect(text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(finish).toBe('stop');
    expect(usageTokens).toBe(9);
  });

  it('streams tool-call deltas that reassemble into the arguments', async () => {
    // Caller headers are not forwarded upstream, so the scenario is set on the mock's model.
    stack.mock.setScenario('gpt-4o', { toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      stream: true,
    });
    let name = '';
    let args = '';
    let finish: string | null | undefined;
    let deltas = 0;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        deltas++;
        name += call.function?.name ?? '';
        args += call.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(deltas).toBeGreaterThan(1);
    expect(finish).toBe('tool_calls');
    stack.mock.setScenario('gpt-4o', {});
  });

  it('creates embeddings (base64 by default in the SDK, decoded to floats)', async () => {
    const result = await client.embeddings.create({ model: 'embed', input: ['one', 'two'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toHaveLength(1536);
    expect(stack.mock.requests[0]?.path).toBe('/v1/embeddings');
  });

  it('lists every model group for the master key', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual([
      'claude',
      'cut',
      'embed',
      'flaky',
      'gpt-4o',
    ]);
  });

  it('lists only the groups a virtual key may use', async () => {
    const scoped = new OpenAI({ apiKey: 'sk-team-a-1234', baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    const models = await scoped.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(['claude', 'gpt-4o']);
  });

  it('retrieves one model group, as models.retrieve asks, with and without the /v1 prefix', async () => {
    const model = await client.models.retrieve('gpt-4o');
    expect(model).toMatchObject({ id: 'gpt-4o', object: 'model', owned_by: 'gw' });
    const bare = await fetch(`${stack.proxy.url}/models/claude`, {
      headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toMatchObject({ id: 'claude', object: 'model' });
  });

  it('answers 404 in OpenAI format for a model that does not exist or the key may not use', async () => {
    const missing = await client.models.retrieve('no-such-model').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({
      param: 'model',
      code: 'GW_ERR_MODEL_NOT_FOUND',
    });
    const scoped = new OpenAI({ apiKey: 'sk-team-a-1234', baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    expect(await scoped.models.retrieve('gpt-4o')).toMatchObject({ id: 'gpt-4o' });
    const hidden = await scoped.models.retrieve('embed').catch((error: unknown) => error);
    expect(hidden).toBeInstanceOf(OpenAI.NotFoundError);
    expect(String((hidden as Error).message)).not.toContain('gpt-4o');
  });

  it('refuses to retrieve a model without a valid key', async () => {
    const anonymous = new OpenAI({
      apiKey: 'sk-wrong-key-000',
      baseURL: `${stack.proxy.url}/v1`,
      maxRetries: 0,
    });
    await expect(anonymous.models.retrieve('gpt-4o')).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('serves the routes without the /v1 prefix too', async () => {
    const bare = new OpenAI({ apiKey: MASTER_KEY, baseURL: stack.proxy.url, maxRetries: 0 });
    const completion = await bare.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toContain('quick brown fox');
  });
});
