import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASTER_KEY, type Stack, startStack } from './stack.ts';

let stack: Stack;
let client: Anthropic;

beforeAll(async () => {
  stack = await startStack();
  client = new Anthropic({ apiKey: MASTER_KEY, baseURL: stack.proxy.url, maxRetries: 0 });
});
afterAll(() => stack.close());
beforeEach(() => stack.mock.reset());

describe('the official Anthropic client against the proxy', () => {
  it('answers messages from an Anthropic deployment', async () => {
    const message = await client.messages.create({
      model: 'claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(message.type).toBe('message');
    expect(message.content[0]).toMatchObject({
      type: 'text',
      text: 'The quick brown fox jumps over the lazy dog.',
    });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(9);
    expect(stack.mock.requests[0]).toMatchObject({ dialect: 'anthropic', path: '/v1/messages' });
  });

  it('answers messages for an OpenAI deployment in the Anthropic format', async () => {
    const message = await client.messages.create({
      model: 'gpt-4o',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(message.content[0]).toMatchObject({
      type: 'text',
      text: 'The quick brown fox jumps over the lazy dog.',
    });
    expect(stack.mock.requests[0]).toMatchObject({ dialect: 'openai', path: '/v1/chat/completions' });
  });

  it('streams message events that the SDK assembles', async () => {
    const stream = client.messages.stream({
      model: 'claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'stream' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe('The quick brown fox jumps over the lazy dog.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('reports the prompt tokens in message_start from an OpenAI upstream, which sends usage only at the end', async () => {
    const stream = client.messages.stream({
      model: 'gpt-4o',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'a prompt of several words to count' }],
    });
    let startTokens: number | undefined;
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') startTokens = event.message.usage.input_tokens;
    });
    await stream.finalMessage();
    expect(startTokens).toBeGreaterThan(0);
  });

  it('streams tool_use input as JSON deltas', async () => {
    stack.mock.setScenario('claude-sonnet-4-5', { toolCall: { name: 'lookup', arguments: { id: 7 } } });
    const stream = client.messages.stream({
      model: 'claude',
      max_tokens: 100,
      tools: [{ name: 'lookup', input_schema: { type: 'object', properties: { id: { type: 'number' } } } }],
      messages: [{ role: 'user', content: 'look up 7' }],
    });
    const final = await stream.finalMessage();
    stack.mock.setScenario('claude-sonnet-4-5', {});
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content.find((block) => block.type === 'tool_use')).toMatchObject({
      name: 'lookup',
      input: { id: 7 },
    });
  });

  it('counts tokens without calling the upstream', async () => {
    const counted = await client.messages.countTokens({
      model: 'claude',
      messages: [{ role: 'user', content: 'How many tokens is this sentence?' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(3);
    expect(stack.mock.requests).toHaveLength(0);
  });

  it('answers errors in the Anthropic format', async () => {
    const error = await client.messages
      .create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });
});
