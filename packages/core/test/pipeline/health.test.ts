import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { createGateway } from '../../src/pipeline/create-gateway-from-config.ts';

/** Retries and backoff go on at once: tests never wait on the wall clock. */
const noWait = { sleep: () => Promise.resolve() };

let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream({ models: { 'down-model': { status: 429, retryAfter: 60 } } });
});
afterAll(() => mock.close());

const logger = pino({ level: 'silent' });

function config(extra: Record<string, unknown> = {}) {
  return loadConfig(
    {
      object: {
        model_list: [
          {
            model_name: 'g',
            litellm_params: {
              model: 'openai/down-model',
              api_base: `${mock.url}/v1`,
              api_key: 'sk-x-123456',
            },
            model_info: { id: 'down' },
          },
        ],
        router_settings: { num_retries: 0 },
        ...extra,
      },
    },
    {},
  ).config;
}

describe('health, readiness and state gauges', () => {
  it('reports a rate-limited deployment as unhealthy in health() and in the breaker gauge', async () => {
    const gateway = createGateway({ config: config(), logger, routerOptions: noWait });
    expect(await gateway.metrics()).toContain('gw_deployment_available{model_group="g",deployment="down"} 1');
    const response = await gateway.handle({
      operation: 'chat',
      headers: {},
      body: { model: 'g', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(response.status).toBe(429);
    expect(gateway.health().unhealthy).toMatchObject([
      { id: 'down', breaker: 'open', openReason: 'rate_limit' },
    ]);
    expect(gateway.health().deployments).toMatchObject([
      { id: 'down', modelGroup: 'g', state: 'cooling_down', inFlight: 0, rpmUsed: expect.any(Number) },
    ]);
    expect(await gateway.metrics()).toContain('gw_deployment_available{model_group="g",deployment="down"} 0');
    await gateway.close();
  });

  it('is ready with Redis up, and not ready with Redis down under fail-closed', async () => {
    const up = new Redis({ host: '127.0.0.1', port: 6379 });
    const ready = createGateway({
      config: config(),
      logger,
      redis: up,
      redisPrefix: `gw:test:health:${process.pid}:`,
    });
    expect(await ready.readiness()).toMatchObject({ ready: true, redis: 'up' });
    await ready.close();
    up.disconnect();

    const down = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const strict = createGateway({
      config: config({ gw_settings: { failure_policy: 'fail-closed' } }),
      logger,
      routerOptions: noWait,
      redis: down,
      redisPrefix: `gw:test:health:${process.pid}:`,
    });
    expect(await strict.readiness()).toMatchObject({ ready: false, redis: 'down' });
    await strict.close();
    down.disconnect();
  });

  it('is ready without Redis when it has a deployment to send to', async () => {
    const gateway = createGateway({ config: config(), logger, routerOptions: noWait });
    expect(await gateway.readiness()).toEqual({
      ready: true,
      redis: 'not configured',
      deployments: { total: 1, healthy: 1 },
    });
    await gateway.close();
  });
});
