import { getEventListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createGateway, createLogger, type Gateway } from '@gw/core';
import { startMockUpstream } from '@gw/mock-upstream';
import { Client } from 'undici';
import { describe, expect, it } from 'vitest';
import { createProxyServer } from '../src/server.ts';
import { loadObject, MASTER_KEY, mockConfigObject } from './stack.ts';

/** Signals Node registered as following `signal` (`AbortSignal.any`); none when Node keeps no such set. */
function dependants(signal: AbortSignal): number {
  const key = Object.getOwnPropertySymbols(signal).find(
    (symbol) => symbol.description === 'kDependantSignals',
  );
  const set =
    key === undefined ? undefined : (signal as unknown as Record<symbol, Set<unknown> | undefined>)[key];
  return set?.size ?? 0;
}

describe('the abort signal of a client connection', () => {
  it('is shared by the requests of one keep-alive connection, and none of them leaves a listener on it', async () => {
    const mock = await startMockUpstream({ port: 0 });
    const gateway = createGateway({
      config: loadObject(mockConfigObject(mock.url)),
      logger: createLogger({ level: 'silent' }),
    });
    const signals: AbortSignal[] = [];
    const listenersAfter: number[] = [];
    const watched: Gateway = {
      ...gateway,
      handle: async (request) => {
        signals.push(request.signal!);
        const response = await gateway.handle(request);
        if ('stream' in response) return response;
        listenersAfter.push(getEventListeners(request.signal!, 'abort').length);
        return response;
      },
    };
    const proxy = createProxyServer(watched);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const client = new Client(`http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`, {
      pipelining: 1,
    });
    const post = async (model: string, stream = false) => {
      const response = await client.request({
        path: '/v1/chat/completions',
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
      });
      return { status: response.statusCode, text: await response.body.text() };
    };
    try {
      // An answer, a stream, a stream cut by the upstream, a retried 429 and an unknown model.
      expect((await post('gpt-4o')).status).toBe(200);
      expect((await post('gpt-4o', true)).text).toContain('data: [DONE]');
      mock.setScenario('cut', { cutAfterChunks: 3 });
      expect((await post('cut', true)).text).toContain('"error"');
      mock.setScenario('flaky', { status: 429, retryAfter: 0, failFirst: 1 });
      expect((await post('flaky')).status).toBe(200);
      expect((await post('no-such-model')).status).toBe(404);
      expect(signals).toHaveLength(5);
      expect(new Set(signals).size).toBe(1);
      // Checked after each JSON answer, and once more after the streams ended.
      expect(listenersAfter).toEqual([0, 0, 0]);
      expect(getEventListeners(signals[0]!, 'abort')).toHaveLength(0);
      expect(signals[0]!.aborted).toBe(false);
      // The connection closing aborts its signal, with the client-closed error.
      await client.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(signals[0]!.aborted).toBe(true);
      expect((signals[0]!.reason as { code?: string }).code).toBe('GW_ERR_CLIENT_CLOSED');
    } finally {
      await client.destroy();
      await proxy.shutdown(1_000);
      await gateway.close();
      await mock.close();
    }
  });

  it('is not left holding the streams of a TTFT timeout: retried, resumed or cut, each unlinks when it ends', async () => {
    const mock = await startMockUpstream({ port: 0 });
    const base = mockConfigObject(mock.url, { resume_streams: true });
    const gateway = createGateway({
      // stream_timeout gives every streamed attempt a signal of its own, which the stream outlives.
      config: loadObject({ ...base, router_settings: { ...base.router_settings, stream_timeout: 30 } }),
      logger: createLogger({ level: 'silent' }),
    });
    const signals: AbortSignal[] = [];
    const watched: Gateway = {
      ...gateway,
      handle: (request) => {
        signals.push(request.signal!);
        return gateway.handle(request);
      },
    };
    const proxy = createProxyServer(watched);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const client = new Client(`http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`, {
      pipelining: 1,
    });
    const stream = async (model: string) => {
      const response = await client.request({
        path: '/v1/chat/completions',
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      return response.body.text();
    };
    try {
      for (let index = 0; index < 3; index++) expect(await stream('gpt-4o')).toContain('data: [DONE]');
      // Cut after two chunks on the first deployment, resumed on the other.
      mock.setScenario('flaky', { cutAfterChunks: 2, failFirst: 1 });
      expect(await stream('flaky')).toContain('data: [DONE]');
      // Cut with no other deployment to resume on: the stream ends with an error event.
      mock.setScenario('cut', { cutAfterChunks: 3 });
      expect(await stream('cut')).toContain('"error"');
      // Refused before any stream opened.
      mock.setScenario('gpt-4o', { status: 400, failFirst: 1 });
      expect(await stream('gpt-4o')).toContain('"error"');
      const signal = signals[0]!;
      expect(new Set(signals).size).toBe(1);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      expect(dependants(signal)).toBe(0);
    } finally {
      await client.destroy();
      await proxy.shutdown(1_000);
      await gateway.close();
      await mock.close();
    }
  });
});
