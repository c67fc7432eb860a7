import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { createGateway } from '../../src/pipeline/create-gateway-from-config.ts';
import type { GatewayJsonResponse, GatewayStreamResponse } from '../../src/pipeline/pipeline-context.ts';
import { readAll } from './support/fake-seams.ts';

let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream({ models: { 'silent-model': { silent: true } } });
});
afterAll(() => mock.close());

/** Virtual timers: the router's TTFT and deadline timers fire when the test says so, never on the wall clock. */
function virtualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  return {
    timers: {
      setTimeout(callback: () => void, ms: number) {
        next += 1;
        pending.set(next, { callback, ms });
        return next;
      },
      clearTimeout(handle: unknown) {
        pending.delete(handle as number);
      },
    },
    fire(ms: number) {
      for (const [handle, timer] of [...pending]) {
        if (timer.ms !== ms) continue;
        pending.delete(handle);
        timer.callback();
      }
    },
  };
}

function deployment(id: string, model: string, order: number) {
  return {
    model_name: 'g',
    litellm_params: { model: `openai/${model}`, api_base: `${mock.url}/v1`, api_key: 'sk-t-123456', order },
    model_info: { id },
  };
}

describe('timeouts reach the right retry', () => {
  it('fails over a stream whose first token does not come within stream_timeout', async () => {
    mock.reset();
    const virtual = virtualTimers();
    const gateway = createGateway({
      config: loadConfig(
        {
          object: {
            model_list: [deployment('silent', 'silent-model', 1), deployment('fine', 'fine-model', 2)],
            router_settings: { stream_timeout: 5, num_retries: 1 },
          },
        },
        {},
      ).config,
      logger: pino({ level: 'silent' }),
      routerOptions: { timers: virtual.timers, sleep: () => Promise.resolve() },
    });
    const pending = gateway.handle({
      operation: 'chat',
      headers: {},
      body: { model: 'g', stream: true, messages: [{ role: 'user', content: 'hi' }] },
    });
    await mock.waitForRequests(1);
    virtual.fire(5000);
    const response = (await pending) as GatewayStreamResponse;
    const text = await readAll(response.stream);
    expect(response.headers['x-gw-deployment']).toBe('fine');
    expect(response.headers['x-gw-attempts']).toBe('2');
    expect(text).toContain('data: [DONE]');
    await gateway.close();
  });

  it('answers 504 in the caller format when the whole call passes router_settings.timeout', async () => {
    mock.reset();
    const virtual = virtualTimers();
    const gateway = createGateway({
      config: loadConfig(
        {
          object: { model_list: [deployment('silent', 'silent-model', 1)], router_settings: { timeout: 30 } },
        },
        {},
      ).config,
      logger: pino({ level: 'silent' }),
      routerOptions: { timers: virtual.timers, sleep: () => Promise.resolve() },
    });
    const pending = gateway.handle({
      operation: 'messages',
      headers: {},
      body: { model: 'g', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
    });
    await mock.waitForRequests(1);
    virtual.fire(30_000);
    const response = (await pending) as GatewayJsonResponse;
    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ type: 'error', error: { type: 'timeout_error' } });
    await gateway.close();
  });
});
