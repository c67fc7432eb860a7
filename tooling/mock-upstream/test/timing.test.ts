import { afterEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../src/index.ts';
import { chatBody, dataPayloads, ManualClock, openAIHeaders, rawRequest } from './raw-http.ts';

let mock: MockUpstream | undefined;

afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

function contentCount(body: string): number {
  return dataPayloads(body).filter(
    (payload) => payload.includes('"content":"') && !payload.includes('"content":""'),
  ).length;
}

describe('timing on the injected clock', () => {
  it('waits latencyMs before sending any header', async () => {
    const clock = new ManualClock();
    mock = await startMockUpstream({ clock, defaults: { latencyMs: 250 } });
    let answered = false;
    const pending = rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('gpt-4o-mini'),
    }).then((result) => {
      answered = true;
      return result;
    });
    expect(await clock.pending()).toBe(250);
    expect(answered).toBe(false);
    clock.fireNext();
    const result = await pending;
    expect(result.status).toBe(200);
    expect(mock.requests[0]?.at).toBe(1_000_000);
  });

  it('sends headers at once, the first token after ttftMs + slowFirstTokenMs, then one chunk per 1/tokensPerSecond', async () => {
    const clock = new ManualClock();
    mock = await startMockUpstream({
      clock,
      models: { slow: { ttftMs: 300, slowFirstTokenMs: 200, tokensPerSecond: 20, chunks: 3 } },
    });
    let body = '';
    const pending = rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('slow', { stream: true }),
      onData: (soFar) => {
        body = soFar;
      },
    });
    expect(await clock.pending()).toBe(500);
    expect(contentCount(body)).toBe(0);
    clock.fireNext();
    expect(await clock.pending()).toBe(50);
    expect(contentCount(body)).toBeLessThanOrEqual(1);
    clock.fireNext();
    expect(await clock.pending()).toBe(50);
    clock.fireNext();
    const result = await pending;
    expect(contentCount(result.body)).toBe(3);
    expect(result.body.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('prefers chunkDelayMs over tokensPerSecond', async () => {
    const clock = new ManualClock();
    mock = await startMockUpstream({ clock, defaults: { chunkDelayMs: 7, tokensPerSecond: 1, chunks: 2 } });
    const pending = rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: openAIHeaders,
      body: chatBody('gpt-4o-mini', { stream: true }),
    });
    expect(await clock.pending()).toBe(7);
    clock.fireNext();
    expect((await pending).status).toBe(200);
  });
});
