import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MockUpstream, type Scenario, startMockUpstream } from '@gw/mock-upstream';
import type { LimitSpec } from '@gw/ratelimit';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway, type GatewayOptions } from '../src/index.ts';

const tokensPerMinute =
  (limit: number) =>
  (caller: string): LimitSpec[] => [
    { name: 'caller:tpm', key: caller, algorithm: 'sliding-window', limit, windowMs: 60_000, unit: 'tokens' },
  ];

let mock: MockUpstream;
let gateway: Server;

interface Setup extends Partial<GatewayOptions> {
  upstreamModels: string[];
  models?: Record<string, Scenario>;
}

async function start(options: Setup): Promise<string> {
  mock = await startMockUpstream({ models: options.models ?? {} });
  gateway = createGateway({
    modelGroup: 'gpt-4o-mini',
    upstreams: options.upstreamModels.map((model, index) => ({
      id: `upstream-${index}`,
      origin: mock.url,
      apiKey: `sk-${index}`,
      model,
      order: index,
    })),
    limits: options.limits ?? tokensPerMinute(100_000),
    ...(options.router ? { router: options.router } : {}),
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}

function chat(url: string, content: string, caller = 'Bearer caller-a') {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: caller, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });
}

afterEach(async () => {
  await new Promise((resolve) => gateway?.close(resolve));
  await mock?.close();
});

describe('a custom gateway from @gw/router, @gw/pool, @gw/ratelimit and @gw/tokens', () => {
  it('answers a chat completion through the pooled upstream with the deployment it used', async () => {
    const url = await start({ upstreamModels: ['gpt-4o-mini'] });
    const response = await chat(url, 'Say hi');
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gw-deployment')).toBe('upstream-0');
    expect(body.choices[0]?.message.content).toBe('The quick brown fox jumps over the lazy dog.');
    expect(mock.requests.map((request) => [request.model, request.headers.authorization])).toEqual([
      ['gpt-4o-mini', '[redacted]'],
    ]);
  });

  it('fails over from the primary upstream answering 500 to the backup, within the same request', async () => {
    const url = await start({
      upstreamModels: ['broken-model', 'gpt-4o-mini'],
      models: { 'broken-model': { status: 500 } },
    });
    const response = await chat(url, 'question');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gw-deployment')).toBe('upstream-1');
    expect(mock.requests.map((request) => request.model)).toEqual(['broken-model', 'gpt-4o-mini']);
  });

  it('answers with the upstream error status when every upstream fails', async () => {
    const url = await start({
      upstreamModels: ['broken-model'],
      models: { 'broken-model': { status: 400 } },
    });
    const response = await chat(url, 'question');
    expect(response.status).toBe(400);
    expect(mock.requests).toHaveLength(1);
  });

  it('rejects a caller over its token limit with 429 and OpenAI rate limit headers, and never calls the upstream', async () => {
    const url = await start({ upstreamModels: ['gpt-4o-mini'], limits: tokensPerMinute(20) });
    // The prompt counts 12 tokens; the upstream bills 16 in all, so a second prompt would need 28 of 20.
    const first = await chat(url, 'A short question about foxes');
    expect(first.status).toBe(200);
    expect(((await first.json()) as { usage: { total_tokens: number } }).usage.total_tokens).toBe(16);
    const second = await chat(url, 'A short question about foxes');
    expect(second.status).toBe(429);
    expect(second.headers.get('x-ratelimit-limit-tokens')).toBe('20');
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(mock.requests).toHaveLength(1);
    const otherCaller = await chat(url, 'A short question about foxes', 'Bearer caller-b');
    expect(otherCaller.status).toBe(200);
  });

  it('answers 400 to a body without messages, without reaching the upstream', async () => {
    const url = await start({ upstreamModels: ['gpt-4o-mini'] });
    const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(400);
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 400 naming a message that is not a chat message, and keeps serving', async () => {
    const url = await start({ upstreamModels: ['gpt-4o-mini'] });
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: ['hello'] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'messages[0]',
    );
    expect(mock.requests).toHaveLength(0);
    expect((await chat(url, 'still there?')).status).toBe(200);
  });
});
