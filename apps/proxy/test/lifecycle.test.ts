import { once } from 'node:events';
import { type ClientRequest, createServer, request as httpRequest, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxy } from '../src/index.ts';
import { loadObject, MASTER_KEY, mockConfigObject, type Stack, startStack } from './stack.ts';

const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function refused(url: string): Promise<string> {
  return fetch(`${url}/health/liveliness`).then(
    (response) => `answered ${response.status}`,
    (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
  );
}

describe('health and metrics endpoints', () => {
  it('answers liveliness, readiness, per-deployment health (to key holders only) and Prometheus metrics', async () => {
    stack = await startStack();
    const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create(chat);

    const live = await fetch(`${stack.proxy.url}/health/liveliness`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'healthy' });

    const ready = await fetch(`${stack.proxy.url}/health/readiness`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, redis: 'not configured' });

    const anonymous = await fetch(`${stack.proxy.url}/health`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('gpt-4o');

    const healthResponse = await fetch(`${stack.proxy.url}/health`, {
      headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    expect(healthResponse.status).toBe(200);
    const health = (await healthResponse.json()) as {
      healthy: Array<{ id: string; modelGroup: string; breaker: string }>;
    };
    expect(health.healthy.find((deployment) => deployment.modelGroup === 'gpt-4o')).toMatchObject({
      id: 'openai/gpt-4o',
      breaker: 'closed',
    });

    const metrics = await fetch(`${stack.proxy.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/gw_requests_total\{[^}]*model_group="gpt-4o"[^}]*\} 1/);
  });
});

describe('CORS', () => {
  it('sends no CORS headers unless origins are configured', async () => {
    stack = await startStack();
    const response = await fetch(`${stack.proxy.url}/health/liveliness`, {
      headers: { origin: 'https://app.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights and tags responses for a configured origin only', async () => {
    stack = await startStack({
      config: (url) => mockConfigObject(url, { cors_origins: ['https://app.example'] }),
    });
    const preflight = await fetch(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(`${stack.proxy.url}/health/liveliness`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS for the official clients in a browser', () => {
  /** The names of the headers the openai client sends with a chat completion, as a browser's preflight lists them. */
  async function openAIClientHeaderNames(): Promise<string> {
    let names = '';
    const client = new OpenAI({
      apiKey: MASTER_KEY,
      baseURL: 'http://gw.invalid/v1',
      maxRetries: 0,
      dangerouslyAllowBrowser: true,
      fetch: async (_url, init) => {
        names = [...new Headers(init?.headers).keys()].join(',');
        return new Response(JSON.stringify({ error: { message: 'captured' } }), { status: 400 });
      },
    });
    await client.chat.completions.create(chat).catch(() => {});
    return names;
  }

  it('allows in a preflight every header the openai client sends, x-stainless-* included', async () => {
    stack = await startStack({
      config: (url) => mockConfigObject(url, { cors_origins: ['https://app.example'] }),
    });
    const asked = await openAIClientHeaderNames();
    expect(asked).toContain('x-stainless-');
    const preflight = await fetch(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': asked,
      },
    });
    expect(preflight.status).toBe(204);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase());
    for (const name of asked.split(',')) expect(allowed).toContain(name);
  });

  it('marks answers that depend on the Origin header with Vary: Origin, and exposes retry-after and the rate-limit headers', async () => {
    stack = await startStack({
      config: (url) => mockConfigObject(url, { cors_origins: ['https://app.example'] }),
    });
    const allowed = await fetch(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { origin: 'https://app.example', authorization: 'Bearer sk-limited-123' },
      body: JSON.stringify(chat),
    });
    expect(allowed.headers.get('vary')).toContain('Origin');
    const exposed = allowed.headers.get('access-control-expose-headers') ?? '';
    for (const name of ['retry-after', 'x-ratelimit-remaining-requests', 'x-gw-overhead-ms']) {
      expect(exposed).toContain(name);
    }
    const other = await fetch(`${stack.proxy.url}/health/liveliness`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('vary')).toContain('Origin');
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight stream, refuses new connections, then closes', async () => {
    stack = await startStack({ mock: { models: { 'gpt-4o': { chunkDelayMs: 40 } } } });
    const { proxy } = stack;
    const response = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}` },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);

    const closed = proxy.close();
    expect(await refused(proxy.url)).toBe('ECONNREFUSED');
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    await closed;
    expect(text).toContain('"content":" dog."');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('cuts streams still running at the deadline', async () => {
    stack = await startStack({
      mock: { models: { 'gpt-4o': { stallAfterChunks: 1 } } },
      proxy: { shutdownDeadlineMs: 50 },
    });
    const response = await fetch(`${stack.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}` },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    await stack.proxy.close();
    const rest = (async () => {
      for (;;) if ((await reader.read()).done) return 'ended';
    })();
    await expect(rest).rejects.toThrow();
  });
});

/** A proxy whose one model group is served by a hand-written local upstream, to watch what reaches it. */
async function proxyInFrontOf(group: string, handler: RequestListener) {
  const upstream = createServer(handler);
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const proxy = await startProxy({
    config: loadObject({
      model_list: [
        {
          model_name: group,
          litellm_params: { model: `openai/${group}`, api_base: `${upstreamUrl}/v1`, api_key: 'k' },
        },
      ],
    }),
    port: 0,
    logLevel: 'silent',
    env: {},
  });
  return {
    proxy,
    async close() {
      await proxy.close();
      upstream.closeAllConnections();
      upstream.close();
    },
  };
}

/** A raw chat request to the proxy, so a test can destroy it mid-answer. */
function postChat(proxyUrl: string): ClientRequest {
  return httpRequest({
    host: '127.0.0.1',
    port: new URL(proxyUrl).port,
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json' },
  });
}

describe('pass-through of OpenAI answers', () => {
  it("sends an OpenAI upstream's answer to an OpenAI caller as the upstream's own bytes", async () => {
    // Pretty-printed, with non-ASCII text: a re-serialisation would differ in bytes and length.
    const answer = `${JSON.stringify(
      {
        id: 'chatcmpl-raw',
        object: 'chat.completion',
        created: 1,
        model: 'raw',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Grüße, 世界' }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
      },
      null,
      2,
    )}\n`;
    const { proxy, close } = await proxyInFrontOf('raw', (request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(answer);
      });
    });
    try {
      const reply = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'raw', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-length')).toBe(String(Buffer.byteLength(answer)));
      expect(await reply.text()).toBe(answer);
    } finally {
      await close();
    }
  });
});

describe('client disconnect', () => {
  it('cancels the upstream call when the client goes away mid-stream', async () => {
    // A hand-written upstream, to observe its socket closing.
    let upstreamClosed: () => void = () => {};
    const upstreamGone = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    const { proxy, close } = await proxyInFrontOf('slow', (request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = {
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'slow',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'tick ' }, finish_reason: null }],
      };
      const timer = setInterval(() => response.write(`data: ${JSON.stringify(chunk)}\n\n`), 20);
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      response.on('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    try {
      const clientRequest = postChat(proxy.url);
      clientRequest.end(
        JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'x' }] }),
      );
      const [clientResponse] = (await once(clientRequest, 'response')) as [NodeJS.ReadableStream];
      await once(clientResponse, 'data');
      clientRequest.destroy();
      await expect(upstreamGone).resolves.toBeUndefined();
    } finally {
      await close();
    }
  });
});

describe('client closed before the answer', () => {
  it('counts the request as 499 (client closed), not as an upstream failure', async () => {
    // An upstream that never answers, so the only way the request ends is the client leaving.
    let arrived: () => void = () => {};
    const upstreamReached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const { proxy, close } = await proxyInFrontOf('hang', (request) => {
      request.resume();
      arrived();
    });
    try {
      const clientRequest = postChat(proxy.url);
      clientRequest.on('error', () => {});
      clientRequest.end(JSON.stringify({ model: 'hang', messages: [{ role: 'user', content: 'x' }] }));
      await upstreamReached;
      clientRequest.destroy();
      // The gateway settles the request after the abort reaches it; the metrics say when.
      let metrics = '';
      for (let poll = 0; poll < 200 && !metrics.includes('status="499"'); poll++) {
        metrics = await (await fetch(`${proxy.url}/metrics`)).text();
      }
      expect(metrics).toMatch(/gw_requests_total\{[^}]*model_group="hang"[^}]*status="499"\} 1/);
      expect(metrics).toMatch(/gw_errors_total\{model_group="hang",class="aborted"\} 1/);
      expect(metrics).not.toMatch(/status="500"/);
    } finally {
      await close();
    }
  });
});
