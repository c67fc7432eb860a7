import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../src/index.ts';
import { chatBody, ManualClock, openAIHeaders, rawRequest } from './raw-http.ts';

let mock: MockUpstream | undefined;

afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('lifecycle', () => {
  it('stops a stream and clears its timers when the client goes away', async () => {
    const clock = new ManualClock();
    mock = await startMockUpstream({ clock, defaults: { chunkDelayMs: 100 } });
    const controller = new AbortController();
    const response = await fetch(`${mock.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...openAIHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('gpt-4o-mini', { stream: true })),
      signal: controller.signal,
    });
    expect(await clock.pending()).toBe(100);
    controller.abort();
    await response.body?.cancel().catch(() => undefined);
    while (clock.timers.length > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(clock.timers).toEqual([]);
  });

  it('ends a stalled stream of the official client when close() is called', async () => {
    mock = await startMockUpstream({ defaults: { stallAfterChunks: 2 } });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${mock.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const received: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content;
        if (content) received.push(content);
        if (received.length === 2) void mock?.close();
      }
    };
    await expect(consume()).rejects.toThrow();
    expect(received).toEqual(['The', ' quick']);
  });

  it('applies a reset only to the first failFirst attempts', async () => {
    mock = await startMockUpstream({ models: { m: { reset: true, failFirst: 1 } } });
    const first = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('m'),
    });
    const second = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('m'),
    });
    expect(first.error?.code).toBe('ECONNRESET');
    expect(second.status).toBe(200);
  });

  it('refuses new connections once closed', async () => {
    mock = await startMockUpstream();
    const { url } = mock;
    await mock.close();
    const result = await rawRequest(`${url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('m'),
    });
    expect(result.error?.code).toBe('ECONNREFUSED');
  });
});
