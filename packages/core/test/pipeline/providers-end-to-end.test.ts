import { fileURLToPath } from 'node:url';
import type { MockUpstream } from '@gw/mock-upstream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDemoConfig } from '../../src/config/demo-config.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { Gateway } from '../../src/pipeline/create-gateway.ts';
import { createGateway, type GatewayOptions } from '../../src/pipeline/create-gateway-from-config.ts';
import type { GatewayJsonResponse, GatewayStreamResponse } from '../../src/pipeline/pipeline-context.ts';
import { readAll } from './support/fake-seams.ts';
import { useMockUpstream } from './support/mock-upstream-lifecycle.ts';

/** Retries and backoff go on at once: tests never wait on the wall clock. */
const noWait = { sleep: () => Promise.resolve() };

let mock: MockUpstream;
const gateways = useMockUpstream((started) => {
  mock = started;
});
const silent = pino({ level: 'silent' });

function build(options: Omit<GatewayOptions, 'logger'> & { logger?: GatewayOptions['logger'] }): Gateway {
  const gateway = createGateway({ logger: silent, routerOptions: noWait, ...options });
  gateways.push(gateway);
  return gateway;
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Hello there' }],
  ...extra,
});

describe('every provider through the pipeline', () => {
  const providers = () => ({
    model_list: [
      {
        model_name: 'openai',
        litellm_params: { model: 'openai/gpt-4o-mini', api_base: `${mock.url}/v1`, api_key: 'sk-o-123456' },
      },
      {
        model_name: 'azure',
        litellm_params: {
          model: 'azure/my-deployment',
          api_base: mock.url,
          api_key: 'azure-key-123456',
          api_version: '2024-10-21',
        },
      },
      {
        model_name: 'anthropic',
        litellm_params: {
          model: 'anthropic/claude-sonnet-4-5',
          api_base: mock.url,
          api_key: 'sk-ant-123456',
        },
      },
      {
        model_name: 'compatible',
        litellm_params: { model: 'hosted_vllm/llama-3', api_base: `${mock.url}/v1`, api_key: 'none-needed' },
      },
    ],
  });

  it.each(['openai', 'azure', 'anthropic', 'compatible'])(
    '%s answers JSON and streams through the gateway',
    async (group) => {
      const gateway = build({ config: loadConfig({ object: providers() }, {}).config });
      const json = (await gateway.handle({
        operation: 'chat',
        headers: {},
        body: chat(group),
      })) as GatewayJsonResponse;
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({
        choices: [{ message: { content: 'The quick brown fox jumps over the lazy dog.' } }],
      });
      const streamed = (await gateway.handle({
        operation: 'chat',
        headers: {},
        body: chat(group, { stream: true }),
      })) as GatewayStreamResponse;
      const text = await readAll(streamed.stream);
      expect(text).toContain('"content":"The');
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(mock.requests.map((request) => request.dialect)).toEqual(
        group === 'azure'
          ? ['azure', 'azure']
          : group === 'anthropic'
            ? ['anthropic', 'anthropic']
            : ['openai', 'openai'],
      );
    },
  );

  it("sends an Anthropic deployment's max_output_tokens as max_tokens when the caller gives none", async () => {
    const config = providers();
    (config.model_list[2] as Record<string, unknown>).model_info = { max_output_tokens: 1234 };
    const gateway = build({ config: loadConfig({ object: config }, {}).config });
    const response = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('anthropic'),
    })) as GatewayJsonResponse;
    expect(response.status).toBe(200);
    expect(mock.requests[0]?.body).toMatchObject({ max_tokens: 1234 });
  });

  it('serves an Anthropic caller from an Anthropic deployment with tool calls intact', async () => {
    mock.setScenario('claude-sonnet-4-5', {
      toolCall: { name: 'get_weather', arguments: { city: 'Paris' } },
    });
    const gateway = build({ config: loadConfig({ object: providers() }, {}).config });
    const response = (await gateway.handle({
      operation: 'messages',
      headers: {},
      body: {
        model: 'anthropic',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [
          {
            name: 'get_weather',
            description: 'weather',
            input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
      },
    })) as GatewayJsonResponse;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      content: [{ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } }],
    });
  });

  it('answers an invalid Anthropic body with a 400 in Anthropic format naming the field', async () => {
    const gateway = build({ config: loadConfig({ object: providers() }, {}).config });
    const response = (await gateway.handle({
      operation: 'messages',
      headers: {},
      body: { model: 'anthropic', messages: [{ role: 'robot', content: 'x' }], max_tokens: 5 },
    })) as GatewayJsonResponse;
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(JSON.stringify(response.body)).toContain('messages[0].role');
  });
});

describe("LiteLLM's wildcard routing", () => {
  const config = () =>
    loadConfig(
      {
        object: {
          model_list: [
            {
              model_name: 'openai/*',
              litellm_params: { model: 'openai/*', api_base: `${mock.url}/v1`, api_key: 'sk-o-123456' },
            },
            {
              model_name: 'claude-*',
              litellm_params: { model: 'anthropic/claude-*', api_base: mock.url, api_key: 'sk-ant-123456' },
            },
          ],
        },
      },
      {},
    ).config;

  it('sends the model a pattern matched to the provider, and prices the answer as that model', async () => {
    const gateway = build({ config: config() });
    const answer = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('openai/gpt-4o-mini'),
    })) as GatewayJsonResponse;
    expect(answer.status).toBe(200);
    expect(answer.headers['x-gw-model-group']).toBe('openai/*');
    expect(mock.requests.at(-1)?.model).toBe('gpt-4o-mini');
    // gpt-4o-mini's price: a deployment named `*` has none of its own.
    expect(Number(answer.headers['x-gw-cost'])).toBeGreaterThan(0);
    const unknown = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('mistral/large'),
    })) as GatewayJsonResponse;
    expect(unknown.status).toBe(404);
  });

  it('answers an Anthropic caller in the name it asked for, streamed too', async () => {
    const gateway = build({ config: config() });
    const body = { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] };
    const answer = (await gateway.handle({
      operation: 'messages',
      headers: {},
      body,
    })) as GatewayJsonResponse;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'message', model: 'claude-sonnet-4-5' });
    expect(mock.requests.at(-1)?.model).toBe('claude-sonnet-4-5');
    const streamed = (await gateway.handle({
      operation: 'messages',
      headers: {},
      body: { ...body, stream: true },
    })) as GatewayStreamResponse;
    expect(await readAll(streamed.stream)).toContain('"model":"claude-sonnet-4-5"');
    // From an OpenAI-format upstream, the Anthropic events gw writes name the model that answered, not the pattern.
    const translated = (await gateway.handle({
      operation: 'messages',
      headers: {},
      body: { ...body, model: 'openai/gpt-4o-mini', stream: true },
    })) as GatewayStreamResponse;
    const events = await readAll(translated.stream);
    expect(events).toContain('"model":"gpt-4o-mini"');
    expect(events).not.toContain('openai/*');
  });
});

describe("LiteLLM's background health checks", () => {
  it('probes every deployment with a one-token call each interval and cools down the one that fails', async () => {
    // Timers the test fires itself: each health round runs when the test says, never on the wall clock.
    const pending: { callback: () => void; ms: number }[] = [];
    const timers = {
      setTimeout: (callback: () => void, ms: number) => {
        const entry = { callback, ms };
        pending.push(entry);
        return entry;
      },
      clearTimeout: (handle: unknown) => {
        const index = pending.indexOf(handle as (typeof pending)[number]);
        if (index >= 0) pending.splice(index, 1);
      },
    };
    const nextRound = async () => {
      const round = pending.filter((entry) => entry.ms === 60_000);
      for (const entry of round) pending.splice(pending.indexOf(entry), 1);
      const seen = mock.requests.length;
      for (const entry of round) entry.callback();
      while (mock.requests.length < seen + 2) await mock.waitForRequests(seen + 2);
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    };
    mock.setScenario('sick', { status: 500 });
    const config = loadConfig(
      {
        object: {
          model_list: ['sick', 'fine', '*'].map((model) => ({
            model_name: model === '*' ? 'openai/*' : 'g',
            litellm_params: { model: `openai/${model}`, api_base: `${mock.url}/v1`, api_key: 'sk-o-123456' },
            model_info: { id: model },
          })),
          router_settings: { allowed_fails: 2 },
          general_settings: { background_health_checks: true, health_check_interval: 60 },
        },
      },
      {},
    ).config;
    const gateway = build({ config, routerOptions: { ...noWait, timers } });
    const breaker = (id: string) => gateway.health().deployments.find((state) => state.id === id)?.breaker;
    await nextRound();
    // One chat call each, asking for one token; the wildcard deployment has no model of its own to probe.
    expect(mock.requests.map((request) => request.model).sort()).toEqual(['fine', 'sick']);
    expect(mock.requests[0]!.body).toMatchObject({
      max_tokens: 1,
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(breaker('sick')).toBe('closed');
    await nextRound();
    expect(breaker('sick')).toBe('open');
    expect(breaker('fine')).toBe('closed');
  });
});

describe('litellm_params.mock_response', () => {
  it('answers with the mock text without calling the upstream', async () => {
    const gateway = build({
      config: loadConfig(
        {
          object: {
            model_list: [
              {
                model_name: 'g',
                litellm_params: {
                  model: 'openai/gpt-4o',
                  api_base: `${mock.url}/v1`,
                  mock_response: 'Canned answer.',
                },
              },
            ],
          },
        },
        {},
      ).config,
    });
    const response = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('g'),
    })) as GatewayJsonResponse;
    expect(response.body).toMatchObject({ choices: [{ message: { content: 'Canned answer.' } }] });
    expect(mock.requests).toHaveLength(0);
  });
});

describe('the built-in demo configuration', () => {
  it('answers chat, streams, models and count_tokens on the in-process mock provider with no key', async () => {
    const gateway = build({ config: defaultDemoConfig({}) });
    const chatResponse = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('demo'),
    })) as GatewayJsonResponse;
    expect(chatResponse.status).toBe(200);
    expect(chatResponse.headers['x-gw-deployment']).toBe('demo-mock');
    const stream = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: chat('demo', { stream: true }),
    })) as GatewayStreamResponse;
    expect(await readAll(stream.stream)).toContain('data: [DONE]');
    const models = (await gateway.handle({
      operation: 'models',
      headers: {},
      body: undefined,
    })) as GatewayJsonResponse;
    expect(models.body).toMatchObject({ object: 'list', data: [{ id: 'demo' }] });
    const counted = (await gateway.handle({
      operation: 'count_tokens',
      headers: {},
      body: { model: 'demo', messages: [{ role: 'user', content: 'Hello there' }] },
    })) as GatewayJsonResponse;
    expect((counted.body as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
  });

  it('adds real OpenAI and Anthropic groups only when their keys are set', () => {
    expect(defaultDemoConfig({}).deployments.map((deployment) => deployment.modelName)).toEqual(['demo']);
    const groups = defaultDemoConfig({
      OPENAI_API_KEY: 'sk-x-123456',
      ANTHROPIC_API_KEY: 'sk-ant-x-123456',
    }).deployments.map((deployment) => deployment.modelName);
    expect(groups).toEqual(expect.arrayContaining(['demo', 'gpt-4o-mini', 'claude-sonnet-4-5']));
  });
});

describe('a LiteLLM config from its documentation, served unchanged', () => {
  it('enforces its master key, skips deployments gw cannot serve and reports the rest as healthy', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const path = fileURLToPath(
      new URL('../config/fixtures/litellm-configs-quick-start.yaml', import.meta.url),
    );
    const { config } = loadConfig(
      { path },
      { AZURE_API_KEY_EU: 'eu-secret-123456', AZURE_API_KEY_CA: 'ca-secret-123456' },
    );
    const gateway = build({ config, logger });
    expect(gateway.modelGroups()).toEqual(['gpt-4o', 'vllm-models']);
    expect(gateway.health().healthy.map((entry) => entry.modelGroup)).toEqual([
      'gpt-4o',
      'gpt-4o',
      'vllm-models',
    ]);
    expect(lines.join('\n')).toContain('no provider for deployment, skipped');
    expect((await gateway.handle({ operation: 'chat', headers: {}, body: chat('gpt-4o') })).status).toBe(401);
    const unknown = await gateway.handle({
      operation: 'chat',
      headers: { authorization: 'Bearer sk-1234' },
      body: chat('bedrock-claude-v1'),
    });
    expect(unknown.status).toBe(404);
    expect(lines.join('\n')).not.toMatch(/eu-secret-123456|ca-secret-123456|sk-1234/);
  });
});

describe('limits shared through Redis', () => {
  const prefix = `gw:test:core:${process.pid}:${Date.now()}:`;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis({ host: '127.0.0.1', port: 6379, enableAutoPipelining: true });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("spends a key's max_budget once across two gateways", async () => {
    const config = loadConfig(
      {
        object: {
          model_list: [
            {
              model_name: 'priced',
              litellm_params: { model: 'mock/a', input_cost_per_token: 0.001, output_cost_per_token: 0.001 },
            },
          ],
          router_settings: { num_retries: 0 },
          gw_settings: { virtual_keys: [{ key: 'sk-budget-shared-1', max_budget: 0.1 }] },
        },
      },
      {},
    ).config;
    const first = build({ config, redis, redisPrefix: `${prefix}b:` });
    const second = build({ config, redis, redisPrefix: `${prefix}b:` });
    const headers = { 'x-api-key': 'sk-budget-shared-1' };
    const statuses: number[] = [];
    let spent = 0;
    for (let index = 0; index < 40 && statuses.at(-1) !== 400; index++) {
      const response = await (index % 2 === 0 ? first : second).handle({
        operation: 'chat',
        headers,
        body: chat('priced'),
      });
      statuses.push(response.status);
      spent += Number(response.headers['x-gw-cost'] ?? 0);
    }
    // The budget stops the calls where the spend of both gateways together reaches it, never past it.
    expect(statuses.at(-1)).toBe(400);
    expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);
    expect(spent).toBeLessThanOrEqual(0.1 + 1e-12);
    expect(statuses.length).toBeGreaterThan(2);
  });

  it("admits exactly a key's model_rpm_limit across two gateways", async () => {
    const config = loadConfig(
      {
        object: {
          model_list: [{ model_name: 'keyed', litellm_params: { model: 'mock/a' } }],
          gw_settings: { virtual_keys: [{ key: 'sk-model-shared-01', model_rpm_limit: { keyed: 4 } }] },
        },
      },
      {},
    ).config;
    const first = build({ config, redis, redisPrefix: `${prefix}m:` });
    const second = build({ config, redis, redisPrefix: `${prefix}m:` });
    const headers = { 'x-api-key': 'sk-model-shared-01' };
    const burst = await Promise.all(
      Array.from({ length: 9 }, (_, index) =>
        (index % 2 === 0 ? first : second).handle({ operation: 'chat', headers, body: chat('keyed') }),
      ),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(4);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });

  it('admits exactly a virtual key rpm across two gateways and a deployment rpm across both', async () => {
    const config = loadConfig(
      {
        object: {
          model_list: [
            { model_name: 'keyed', litellm_params: { model: 'mock/a' } },
            { model_name: 'capped', litellm_params: { model: 'mock/b', rpm: 3 } },
          ],
          gw_settings: { virtual_keys: [{ key: 'sk-shared-key-01', models: ['keyed', 'capped'], rpm: 5 }] },
        },
      },
      {},
    ).config;
    const first = build({ config, redis, redisPrefix: prefix });
    const second = build({ config, redis, redisPrefix: prefix });
    const headers = { 'x-api-key': 'sk-shared-key-01' };
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        (index % 2 === 0 ? first : second).handle({ operation: 'chat', headers, body: chat('keyed') }),
      ),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);

    const open = loadConfig(
      { object: { model_list: [{ model_name: 'capped', litellm_params: { model: 'mock/b', rpm: 3 } }] } },
      {},
    ).config;
    const third = build({ config: open, redis, redisPrefix: `${prefix}d:` });
    const fourth = build({ config: open, redis, redisPrefix: `${prefix}d:` });
    const capped = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        (index % 2 === 0 ? third : fourth).handle({ operation: 'chat', headers: {}, body: chat('capped') }),
      ),
    );
    expect(capped.filter((response) => response.status === 200)).toHaveLength(3);
    expect(capped.filter((response) => response.status === 429)).toHaveLength(3);
  });
});
