import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import type { GatewayJsonResponse, GatewayStreamResponse } from '../../src/pipeline/pipeline-context.ts';
import {
  chunkStream,
  completion,
  gatedUpstream,
  readAll,
  type Script,
  scriptedUpstream,
  upstreamError,
} from './support/fake-seams.ts';
import { chat, harness } from './support/gateway-harness.ts';

const ok: Script = async () => completion('hello');
const MASTER = 'sk-master-test-0001';
const auth = { authorization: `Bearer ${MASTER}` };

function group(name: string, ...deployments: { id: string; model: string; rpm?: number; extra?: object }[]) {
  return deployments.map((deployment) => ({
    model_name: name,
    litellm_params: {
      model: deployment.model,
      ...(deployment.rpm === undefined ? {} : { rpm: deployment.rpm }),
      ...deployment.extra,
    },
    model_info: { id: deployment.id },
  }));
}

const json = (response: unknown) => response as GatewayJsonResponse;
const streamed = (response: unknown) => response as GatewayStreamResponse;

describe('gateway.handle: a successful call', () => {
  it('takes the request id a server already settled on as given', async () => {
    const gateway = harness({
      config: {
        model_list: group('gpt-4o', { id: 'a', model: 'openai/gpt-4o' }),
        general_settings: { master_key: MASTER },
      },
      upstream: scriptedUpstream({ a: ok }),
    });
    const response = await gateway.handle({
      operation: 'chat',
      headers: { ...auth, 'x-request-id': 'from-the-header' },
      body: chat('gpt-4o'),
      requestId: 'settled-by-server',
    });
    expect(response.headers['x-request-id']).toBe('settled-by-server');
  });

  it('serves many concurrent callers without a signal with no abort listener piling up on a shared signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const { upstream, open } = gatedUpstream('a');
    const gateway = harness({
      config: {
        model_list: group('gpt-4o', { id: 'a', model: 'openai/gpt-4o' }),
        general_settings: { master_key: MASTER },
      },
      upstream,
    });
    try {
      const pending = Array.from({ length: 20 }, () =>
        gateway.handle({ operation: 'chat', headers: auth, body: chat('gpt-4o') }),
      );
      while (upstream.calls.length < 20) await new Promise((resolve) => setImmediate(resolve));
      open();
      const responses = await Promise.all(pending);
      expect(responses.map((response) => response.status)).toEqual(new Array(20).fill(200));
      // Node reports a possible listener leak on the next tick after the eleventh listener.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('answers with the routing, cost and overhead headers and propagates x-request-id', async () => {
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: {
        model_list: group('gpt-4o', { id: 'a', model: 'openai/gpt-4o' }),
        general_settings: { master_key: MASTER },
      },
      upstream,
    });
    const response = json(
      await gateway.handle({
        operation: 'chat',
        headers: { ...auth, 'x-request-id': 'req-123' },
        body: chat('gpt-4o'),
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'x-request-id': 'req-123',
      'x-gw-model-group': 'gpt-4o',
      'x-gw-deployment': 'a',
      'x-gw-attempts': '1',
      // 10 input tokens * 2.5e-6 + 5 output * 10e-6
      'x-gw-cost': '0.000075',
    });
    expect(Number(response.headers['x-gw-overhead-ms'])).toBeGreaterThanOrEqual(0);
    expect(response.body).toMatchObject({ choices: [{ message: { content: 'hello' } }] });
  });

  it('generates a request id when the caller sends none', async () => {
    const gateway = harness({
      config: { model_list: group('m', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream: scriptedUpstream({ a: ok }),
    });
    const response = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('m') }));
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('applies a deployment default parameter under the caller own', async () => {
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: {
        model_list: group('m', {
          id: 'a',
          model: 'openai/gpt-4o',
          extra: { temperature: 0.2, max_tokens: 50 },
        }),
      },
      upstream,
    });
    await gateway.handle({ operation: 'chat', headers: {}, body: chat('m', { max_tokens: 7 }) });
    expect(upstream.calls[0]!.request).toMatchObject({ temperature: 0.2, max_tokens: 7 });
  });

  it("leaves out a deployment's default max_tokens when the caller set max_completion_tokens, and the reverse", async () => {
    const upstream = scriptedUpstream({ a: ok, b: ok });
    const gateway = harness({
      config: {
        model_list: [
          ...group('m', { id: 'a', model: 'openai/gpt-4o', extra: { max_tokens: 50 } }),
          ...group('n', { id: 'b', model: 'openai/gpt-4o', extra: { max_completion_tokens: 50 } }),
        ],
      },
      upstream,
    });
    await gateway.handle({ operation: 'chat', headers: {}, body: chat('m', { max_completion_tokens: 7 }) });
    await gateway.handle({ operation: 'chat', headers: {}, body: chat('n', { max_tokens: 9 }) });
    expect(upstream.calls[0]!.request).toMatchObject({ max_completion_tokens: 7 });
    expect(upstream.calls[0]!.request).not.toHaveProperty('max_tokens');
    expect(upstream.calls[1]!.request).toMatchObject({ max_tokens: 9 });
    expect(upstream.calls[1]!.request).not.toHaveProperty('max_completion_tokens');
  });
});

describe('gateway.handle: capabilities', () => {
  it('routes a request with an image past a deployment whose model_info says it has no vision', async () => {
    const upstream = scriptedUpstream({ blind: ok, seeing: ok });
    const gateway = harness({
      config: {
        model_list: [
          {
            model_name: 'g',
            litellm_params: { model: 'openai/gpt-4o', order: 1 },
            model_info: { id: 'blind', supports_vision: false },
          },
          {
            model_name: 'g',
            litellm_params: { model: 'openai/gpt-4o', order: 2 },
            model_info: { id: 'seeing' },
          },
        ],
      },
      upstream,
    });
    const image = {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      ],
    };
    await gateway.handle({ operation: 'chat', headers: {}, body: { model: 'g', messages: [image] } });
    await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') });
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['seeing', 'blind']);
  });
});

describe('gateway.handle: faults reach the right retry or fallback', () => {
  it('retries a 5xx on another deployment and bills only the one that answered', async () => {
    const upstream = scriptedUpstream({
      broken: async () => {
        throw upstreamError(503, 'upstream_5xx');
      },
      fine: async () => completion('ok', { prompt_tokens: 1000, completion_tokens: 1000 }),
    });
    const gateway = harness({
      config: {
        model_list: group(
          'g',
          { id: 'broken', model: 'openai/gpt-4o', extra: { order: 1 } },
          { id: 'fine', model: 'openai/gpt-4o-mini', extra: { order: 2 } },
        ),
      },
      upstream,
    });
    const response = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    expect(response.status).toBe(200);
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['broken', 'fine']);
    expect(response.headers['x-gw-deployment']).toBe('fine');
    expect(response.headers['x-gw-attempts']).toBe('2');
    // gpt-4o-mini: 1000 * 0.15e-6 + 1000 * 0.6e-6, not gpt-4o's price
    expect(response.headers['x-gw-cost']).toBe('0.00075');
  });

  it("applies LiteLLM's retry_policy per error class and model_group_retry_policy per group", async () => {
    const failing = (status: number, errorClass: string) => async () => {
      throw upstreamError(status, errorClass);
    };
    const upstream = scriptedUpstream({
      'g-limited': failing(429, 'rate_limit'),
      'g-broken': failing(500, 'upstream_5xx'),
      'g-fine': ok,
      'h-limited': failing(429, 'rate_limit'),
      'h-fine': ok,
    });
    const gateway = harness({
      config: {
        model_list: [
          ...group(
            'g',
            { id: 'g-limited', model: 'openai/gpt-4o', extra: { order: 1 } },
            { id: 'g-broken', model: 'openai/gpt-4o', extra: { order: 2 } },
            { id: 'g-fine', model: 'openai/gpt-4o', extra: { order: 3 } },
          ),
          ...group(
            'h',
            { id: 'h-limited', model: 'openai/gpt-4o', extra: { order: 1 } },
            { id: 'h-fine', model: 'openai/gpt-4o', extra: { order: 2 } },
          ),
        ],
        router_settings: {
          num_retries: 3,
          retry_policy: { RateLimitErrorRetries: 0 },
          model_group_retry_policy: { h: { RateLimitErrorRetries: 1 } },
        },
      },
      upstream,
    });
    const fromG = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    expect(fromG.status).toBe(429);
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['g-limited']);
    upstream.calls.length = 0;
    const fromH = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('h') }));
    expect(fromH.status).toBe(200);
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['h-limited', 'h-fine']);
    upstream.calls.length = 0;
    // The 429 opened g-limited; a 5xx, which the policy leaves to num_retries, is retried.
    const again = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    expect(again.status).toBe(200);
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['g-broken', 'g-fine']);
  });

  it("queues calls beyond a deployment's max_parallel_requests until one finishes, as LiteLLM does", async () => {
    const gates: (() => void)[] = [];
    const upstream = scriptedUpstream({
      a: async () => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return completion('hello');
      },
    });
    const gateway = harness({
      config: {
        model_list: group('g', { id: 'a', model: 'openai/gpt-4o', extra: { max_parallel_requests: 1 } }),
      },
      upstream,
    });
    const first = gateway.handle({ operation: 'chat', headers: {}, body: chat('g') });
    const second = gateway.handle({ operation: 'chat', headers: {}, body: chat('g') });
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(upstream.calls).toHaveLength(1);
    gates.shift()!();
    expect((await first).status).toBe(200);
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(upstream.calls).toHaveLength(2);
    gates.shift()!();
    const answered = json(await second);
    expect(answered.status).toBe(200);
    expect(answered.headers['x-gw-attempts']).toBe('1');
  });

  it('refuses a call beyond general_settings.global_max_parallel_requests, whoever makes it', async () => {
    const { upstream, open } = gatedUpstream('a');
    const gateway = harness({
      config: {
        model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }),
        general_settings: { master_key: MASTER, global_max_parallel_requests: 2 },
        gw_settings: { virtual_keys: [{ key: 'sk-global-parallel' }] },
      },
      upstream,
    });
    const first = gateway.handle({ operation: 'chat', headers: auth, body: chat('g') });
    const second = gateway.handle({
      operation: 'chat',
      headers: { 'x-api-key': 'sk-global-parallel' },
      body: chat('g'),
    });
    const third = json(await gateway.handle({ operation: 'chat', headers: auth, body: chat('g') }));
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({
      error: { message: expect.stringContaining('Rate limit exceeded for this gateway (global:parallel: 2') },
    });
    open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await gateway.handle({ operation: 'chat', headers: auth, body: chat('g') })).status).toBe(200);
  });

  it("keeps a deployment in rotation for the 429s LiteLLM's allowed_fails_policy allows", async () => {
    const upstream = scriptedUpstream({
      limited: async () => {
        throw upstreamError(429, 'rate_limit');
      },
      spare: ok,
    });
    const gateway = harness({
      config: {
        model_list: group(
          'g',
          { id: 'limited', model: 'openai/gpt-4o', extra: { order: 1 } },
          { id: 'spare', model: 'openai/gpt-4o', extra: { order: 2 } },
        ),
        router_settings: { allowed_fails_policy: { RateLimitErrorAllowedFails: 2 } },
      },
      upstream,
    });
    for (let request = 0; request < 4; request++) {
      const response = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
      expect(response.status).toBe(200);
    }
    // Two 429s allowed: the third opens `limited`, and the fourth request goes straight to `spare`.
    expect(upstream.calls.map((call) => call.deployment)).toEqual([
      'limited',
      'spare',
      'limited',
      'spare',
      'limited',
      'spare',
      'spare',
    ]);
  });

  it("prices a deployment by LiteLLM's custom pricing in litellm_params, cache writes at their own price", async () => {
    const upstream = scriptedUpstream({
      private: async () => ({
        response: {
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' } }],
        },
        usage: { inputTokens: 1000, outputTokens: 100, cacheWriteInputTokens: 400 },
      }),
    });
    const model_list = group('g', {
      id: 'private',
      model: 'openai/our-private-model',
      extra: {
        api_key: 'sk-private-0001',
        input_cost_per_token: 0.000001,
        output_cost_per_token: 0.000002,
        cache_creation_input_token_cost: 0.00000125,
      },
    });
    expect(loadConfig({ object: { model_list } }, {}).warnings).toEqual([]);
    const gateway = harness({ config: { model_list }, upstream });
    const response = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    // 600 plain prompt tokens at 1e-6, 400 written to the cache at 1.25e-6, 100 output tokens at 2e-6.
    expect(response.headers['x-gw-cost']).toBe('0.0013');
  });

  it('falls back to another model group and attributes the answer to it', async () => {
    const upstream = scriptedUpstream({
      primary: async () => {
        throw upstreamError(429, 'rate_limit', 30_000);
      },
      backup: async () => completion('from backup'),
    });
    const gateway = harness({
      config: {
        model_list: [
          ...group('primary', { id: 'primary', model: 'anthropic/claude-sonnet-4-5' }),
          ...group('backup', { id: 'backup', model: 'openai/gpt-4o-mini' }),
        ],
        router_settings: { fallbacks: [{ primary: ['backup'] }], num_retries: 0 },
      },
      upstream,
    });
    const response = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('primary') }));
    expect(response.status).toBe(200);
    expect(response.headers['x-gw-model-group']).toBe('backup');
    expect(response.headers['x-gw-deployment']).toBe('backup');
    expect(response.headers['x-gw-cost']).toBe('0.0000045');
  });

  it('returns a bad request at once, without retrying, in the caller format', async () => {
    const upstream = scriptedUpstream({
      a: async () => {
        throw upstreamError(400, 'bad_request');
      },
      b: ok,
    });
    const gateway = harness({
      config: {
        model_list: group(
          'g',
          { id: 'a', model: 'openai/gpt-4o', extra: { order: 1 } },
          { id: 'b', model: 'openai/gpt-4o', extra: { order: 2 } },
        ),
      },
      upstream,
    });
    const response = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    expect(response.status).toBe(400);
    expect(upstream.calls).toHaveLength(1);
    expect(response.body).toMatchObject({ error: { message: 'upstream said 400' } });
  });

  it('answers 404 for a model group that does not exist, 400 for an invalid body', async () => {
    const gateway = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream: scriptedUpstream({ a: ok }),
    });
    expect((await gateway.handle({ operation: 'chat', headers: {}, body: chat('nope') })).status).toBe(404);
    expect((await gateway.handle({ operation: 'chat', headers: {}, body: { messages: [] } })).status).toBe(
      400,
    );
  });
});

describe("gateway.handle: LiteLLM's model_group_alias", () => {
  const config = {
    model_list: [
      ...group('gpt-4o', { id: 'a', model: 'openai/gpt-4o' }),
      ...group('mini', { id: 'b', model: 'openai/gpt-4o-mini' }),
    ],
    router_settings: {
      model_group_alias: {
        'gpt-4': 'gpt-4o',
        'gpt-3.5-turbo': { model: 'mini', hidden: true },
        mini: 'gpt-4o',
      },
    },
    general_settings: { master_key: MASTER },
    gw_settings: {
      virtual_keys: [
        { key: 'sk-alias-target', models: ['gpt-4o'] },
        { key: 'sk-alias-by-name', models: ['gpt-4'] },
        { key: 'sk-alias-neither', models: ['other'] },
      ],
    },
  };
  const models = async (gateway: ReturnType<typeof harness>, headers: Record<string, string>) =>
    (
      json(await gateway.handle({ operation: 'models', headers, body: undefined })).body as {
        data: { id: string }[];
      }
    ).data.map((model) => model.id);

  it('sends a request for an alias to its group, which wins over a group of the same name', async () => {
    const upstream = scriptedUpstream({ a: ok, b: ok });
    const gateway = harness({ config, upstream });
    const viaAlias = json(await gateway.handle({ operation: 'chat', headers: auth, body: chat('gpt-4') }));
    expect(viaAlias.status).toBe(200);
    expect(viaAlias.headers['x-gw-model-group']).toBe('gpt-4o');
    const shadowed = json(await gateway.handle({ operation: 'chat', headers: auth, body: chat('mini') }));
    expect(shadowed.headers['x-gw-model-group']).toBe('gpt-4o');
    const hidden = json(
      await gateway.handle({ operation: 'chat', headers: auth, body: chat('gpt-3.5-turbo') }),
    );
    expect(hidden.headers['x-gw-model-group']).toBe('mini');
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['a', 'a', 'b']);
  });

  it('lists the aliases that are not hidden', async () => {
    const gateway = harness({ config, upstream: scriptedUpstream({}) });
    expect(await models(gateway, auth)).toEqual(['gpt-4o', 'mini', 'gpt-4']);
    expect(gateway.modelGroups(auth)).toEqual(['gpt-4o', 'mini', 'gpt-4']);
  });

  it('lets a key use an alias it lists, or one of a group it lists, and no other', async () => {
    const upstream = scriptedUpstream({ a: ok, b: ok });
    const gateway = harness({ config, upstream });
    const call = (key: string) =>
      gateway.handle({ operation: 'chat', headers: { 'x-api-key': key }, body: chat('gpt-4') });
    expect((await call('sk-alias-target')).status).toBe(200);
    expect((await call('sk-alias-by-name')).status).toBe(200);
    expect((await call('sk-alias-neither')).status).toBe(403);
    // `mini` is an alias of gpt-4o too (shadowing the group of that name): this key may call it.
    expect(await models(gateway, { 'x-api-key': 'sk-alias-target' })).toEqual(['gpt-4o', 'gpt-4', 'mini']);
    expect(await models(gateway, { 'x-api-key': 'sk-alias-by-name' })).toEqual(['gpt-4']);
  });
});

describe("gateway.handle: budgets (LiteLLM's max_budget)", () => {
  // Output tokens at $0.001 each, input free: an answer of 5 output tokens costs $0.005, and a call asking for
  // max_tokens 5 holds $0.005 of the budget until its cost is known.
  const priced = (name: string, id: string) =>
    group(name, {
      id,
      model: 'openai/private-model',
      extra: { input_cost_per_token: 0, output_cost_per_token: 0.001 },
    });
  const limitedChat = (model: string) => chat(model, { max_tokens: 5 });

  function budgetGateway(
    keys: object[],
    extra: { teams?: object[]; upstream?: ReturnType<typeof scriptedUpstream> } = {},
  ) {
    let now = 1_000_000;
    const upstream = extra.upstream ?? scriptedUpstream({ a: ok });
    const gateway = harness({
      config: {
        model_list: priced('g', 'a'),
        router_settings: { num_retries: 0 },
        gw_settings: { virtual_keys: keys, ...(extra.teams === undefined ? {} : { teams: extra.teams }) },
      },
      upstream,
      clock: () => now,
    });
    return {
      gateway,
      upstream,
      advance: (milliseconds: number) => {
        now += milliseconds;
      },
      call: (key: string) =>
        gateway.handle({ operation: 'chat', headers: { 'x-api-key': key }, body: limitedChat('g') }),
    };
  }

  it("admits calls while the key's spend leaves room, then answers LiteLLM's 400 budget_exceeded", async () => {
    const { call, upstream } = budgetGateway([{ key: 'sk-budget-key-1', max_budget: 0.012 }]);
    expect((await call('sk-budget-key-1')).status).toBe(200);
    expect((await call('sk-budget-key-1')).status).toBe(200);
    const refused = json(await call('sk-budget-key-1'));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        message:
          'Budget exceeded for this key: $0.01 of its $0.012 spent; this request may cost up to $0.005 (it does not reset). Raise max_budget or wait for the reset.',
        code: 'GW_ERR_BUDGET_EXCEEDED',
      },
    });
    expect(upstream.calls).toHaveLength(2);
  });

  it('holds the cost of calls in flight, so concurrent calls cannot overspend', async () => {
    const { upstream, open } = gatedUpstream('a');
    const { call } = budgetGateway([{ key: 'sk-budget-key-2', max_budget: 0.012 }], { upstream });
    const pending = Array.from({ length: 5 }, () => call('sk-budget-key-2'));
    const early = await Promise.all(pending.slice(2));
    expect(early.map((response) => response.status)).toEqual([400, 400, 400]);
    open();
    const admitted = await Promise.all(pending.slice(0, 2));
    expect(admitted.map((response) => response.status)).toEqual([200, 200]);
    expect(upstream.calls).toHaveLength(2);
  });

  it('gives back what a failed call held', async () => {
    let failures = 2;
    const upstream = scriptedUpstream({
      a: async () => {
        if (failures-- > 0) throw upstreamError(500, 'upstream_5xx');
        return completion('hello');
      },
    });
    const { call } = budgetGateway([{ key: 'sk-budget-key-3', max_budget: 0.006 }], { upstream });
    expect((await call('sk-budget-key-3')).status).toBe(502);
    expect((await call('sk-budget-key-3')).status).toBe(502);
    expect((await call('sk-budget-key-3')).status).toBe(200);
    expect((await call('sk-budget-key-3')).status).toBe(400);
  });

  it('starts afresh after budget_duration', async () => {
    const { call, advance } = budgetGateway([
      { key: 'sk-budget-key-4', max_budget: 0.005, budget_duration: '1m' },
    ]);
    expect((await call('sk-budget-key-4')).status).toBe(200);
    const refused = json(await call('sk-budget-key-4'));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { message: expect.stringContaining('it resets in 60 s') } });
    advance(60_000);
    expect((await call('sk-budget-key-4')).status).toBe(200);
  });

  it('charges a caller who leaves mid-stream for what it used, not nothing', async () => {
    const upstream = scriptedUpstream({
      a: async ({ signal, stream }) =>
        stream ? chunkStream(['one ', 'two ', 'three '], { hang: true, signal }) : completion('hello'),
    });
    const { gateway, call } = budgetGateway([{ key: 'sk-budget-key-5', max_budget: 0.007 }], { upstream });
    const client = new AbortController();
    const response = streamed(
      await gateway.handle({
        operation: 'chat',
        headers: { 'x-api-key': 'sk-budget-key-5' },
        body: chat('g', { stream: true, max_tokens: 5 }),
        signal: client.signal,
      }),
    );
    const iterator = response.stream[Symbol.asyncIterator]();
    for (let piece = 0; piece < 3; piece++) await iterator.next();
    const pending = iterator.next();
    client.abort();
    await pending.catch(() => undefined);
    await iterator.return?.(undefined);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    // Three output tokens reached the caller: $0.003 spent, so a call holding $0.005 no longer fits in $0.007.
    expect((await call('sk-budget-key-5')).status).toBe(400);
  });

  it("stops every caller at the gateway's own budget (litellm_settings.max_budget)", async () => {
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: {
        model_list: priced('g', 'a'),
        litellm_settings: { max_budget: 0.01, budget_duration: '30d' },
        general_settings: { master_key: MASTER },
        gw_settings: { virtual_keys: [{ key: 'sk-gateway-budget-1' }] },
      },
      upstream,
    });
    const call = (headers: Record<string, string>) =>
      gateway.handle({ operation: 'chat', headers, body: limitedChat('g') });
    expect((await call(auth)).status).toBe(200);
    expect((await call({ 'x-api-key': 'sk-gateway-budget-1' })).status).toBe(200);
    const refused = json(await call(auth));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { message: expect.stringContaining('for this gateway') } });
  });

  it("shares a team's budget between its keys", async () => {
    const { call } = budgetGateway(
      [
        { key: 'sk-team-budget-1', team: 'ops' },
        { key: 'sk-team-budget-2', team: 'ops' },
      ],
      { teams: [{ id: 'ops', max_budget: 0.01 }] },
    );
    expect((await call('sk-team-budget-1')).status).toBe(200);
    expect((await call('sk-team-budget-2')).status).toBe(200);
    const refused = json(await call('sk-team-budget-1'));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: { message: expect.stringContaining("for this key's team") },
    });
  });
});

describe('gateway.handle: authentication and limits', () => {
  const config = {
    model_list: [
      ...group('a', { id: 'a', model: 'openai/gpt-4o' }),
      ...group('b', { id: 'b', model: 'openai/gpt-4o' }),
    ],
    general_settings: { master_key: MASTER },
    gw_settings: { virtual_keys: [{ key: 'sk-limited-0001', alias: 'limited', models: ['a'], rpm: 2 }] },
  };

  it('names only the groups a key may use when its model does not exist', async () => {
    const gateway = harness({ config, upstream: scriptedUpstream({ a: ok, b: ok }) });
    const limited = json(
      await gateway.handle({
        operation: 'chat',
        headers: { 'x-api-key': 'sk-limited-0001' },
        body: chat('nope'),
      }),
    );
    expect(limited.status).toBe(404);
    expect(limited.body).toMatchObject({ error: { message: expect.stringMatching(/Available: a\.$/) } });
    const master = json(await gateway.handle({ operation: 'chat', headers: auth, body: chat('nope') }));
    expect(master.body).toMatchObject({ error: { message: expect.stringMatching(/Available: a, b\.$/) } });
  });

  it('refuses a missing key with 401 and a model outside the key with 403', async () => {
    const upstream = scriptedUpstream({ a: ok, b: ok });
    const gateway = harness({ config, upstream });
    expect((await gateway.handle({ operation: 'chat', headers: {}, body: chat('a') })).status).toBe(401);
    const forbidden = await gateway.handle({
      operation: 'chat',
      headers: { 'x-api-key': 'sk-limited-0001' },
      body: chat('b'),
    });
    expect(forbidden.status).toBe(403);
    expect(upstream.calls).toHaveLength(0);
  });

  it('admits exactly the key rpm, then 429 with retry-after and rate-limit headers', async () => {
    const upstream = scriptedUpstream({ a: ok, b: ok });
    const now = 1_000_000;
    const gateway = harness({ config, upstream, clock: () => now });
    const headers = { 'x-api-key': 'sk-limited-0001' };
    const statuses: number[] = [];
    let last: GatewayJsonResponse | undefined;
    for (let index = 0; index < 3; index++) {
      last = json(await gateway.handle({ operation: 'chat', headers, body: chat('a') }));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(upstream.calls).toHaveLength(2);
    expect(last!.headers['retry-after']).toMatch(/^\d+$/);
    expect(last!.headers['x-ratelimit-limit-requests']).toBe('2');
    expect(last!.headers['x-ratelimit-remaining-requests']).toBe('0');
  });

  it("admits exactly a key's model_rpm_limit for that group, leaving its other groups to the key's own limit", async () => {
    const upstream = scriptedUpstream({ a: ok, b: ok });
    const gateway = harness({
      config: {
        model_list: [
          ...group('a', { id: 'a', model: 'openai/gpt-4o' }),
          ...group('b', { id: 'b', model: 'openai/gpt-4o' }),
        ],
        gw_settings: {
          virtual_keys: [{ key: 'sk-model-limited', rpm: 10, model_rpm_limit: { a: 2 } }],
        },
      },
      upstream,
      clock: () => 1_000_000,
    });
    const headers = { 'x-api-key': 'sk-model-limited' };
    const statuses = async (model: string, count: number) => {
      const seen: number[] = [];
      for (let index = 0; index < count; index++) {
        seen.push((await gateway.handle({ operation: 'chat', headers, body: chat(model) })).status);
      }
      return seen;
    };
    expect(await statuses('a', 3)).toEqual([200, 200, 429]);
    const refused = json(await gateway.handle({ operation: 'chat', headers, body: chat('a') }));
    expect(refused.body).toMatchObject({
      error: { message: expect.stringContaining("this key on model group 'a' (key-model:rpm: 2 requests)") },
    });
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    // The key's own rpm of 10 counted the two admitted calls to a: 8 more fit, in any group.
    expect(await statuses('b', 9)).toEqual([...new Array(8).fill(200), 429]);
  });

  it("shares a team's model_tpm_limit between the team's keys", async () => {
    const upstream = scriptedUpstream({
      a: async () => completion('long answer', { prompt_tokens: 10, completion_tokens: 100 }),
    });
    const gateway = harness({
      config: {
        model_list: group('a', { id: 'a', model: 'openai/gpt-4o' }),
        gw_settings: {
          teams: [{ id: 'research', model_tpm_limit: { a: 250 } }],
          virtual_keys: [
            { key: 'sk-research-one', team: 'research' },
            { key: 'sk-research-two', team: 'research' },
          ],
        },
      },
      upstream,
      clock: () => 1_000_000,
    });
    // Each call holds its prompt plus max_tokens until the answer, then its 110 tokens used: the third's
    // reservation no longer fits beside the first two's 220.
    const call = (key: string) =>
      gateway.handle({
        operation: 'chat',
        headers: { 'x-api-key': key },
        body: { ...chat('a'), max_tokens: 100 },
      });
    expect((await call('sk-research-one')).status).toBe(200);
    expect((await call('sk-research-two')).status).toBe(200);
    const third = json(await call('sk-research-one'));
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({
      error: { message: expect.stringContaining("this key's team on model group 'a' (team-model:tpm") },
    });
  });

  it('frees a parallel-request slot after each answer, even one without usage', async () => {
    const upstream = scriptedUpstream({ a: async () => ({ response: { object: 'list', data: [] } }) });
    const gateway = harness({
      config: {
        model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }),
        gw_settings: { virtual_keys: [{ key: 'sk-one-at-a-time', max_parallel_requests: 1 }] },
      },
      upstream,
    });
    const headers = { 'x-api-key': 'sk-one-at-a-time' };
    const statuses = [];
    for (let index = 0; index < 3; index++) {
      statuses.push((await gateway.handle({ operation: 'chat', headers, body: chat('g') })).status);
    }
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('lists only the groups a key may use', () => {
    const gateway = harness({ config, upstream: scriptedUpstream({}) });
    expect(gateway.modelGroups({ 'x-api-key': 'sk-limited-0001' })).toEqual(['a']);
    expect(gateway.modelGroups(auth)).toEqual(['a', 'b']);
  });

  it('answers a request larger than the key tpm with a 429 that names it too large, without retry-after', async () => {
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: {
        model_list: group('a', { id: 'a', model: 'openai/gpt-4o' }),
        gw_settings: { virtual_keys: [{ key: 'sk-small-tpm-01', alias: 'small', tpm: 200 }] },
      },
      upstream,
    });
    const headers = { 'x-api-key': 'sk-small-tpm-01' };
    const big = chat('a', { messages: [{ role: 'user', content: 'x'.repeat(500) }] });
    const refused = json(await gateway.handle({ operation: 'chat', headers, body: big }));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      error: {
        code: 'GW_ERR_REQUEST_TOO_LARGE',
        message: expect.stringMatching(/^Request too large .*limit is 200/),
      },
    });
    expect(refused.headers['retry-after']).toBeUndefined();
    // Nothing was consumed: a request that fits still goes through.
    expect((await gateway.handle({ operation: 'chat', headers, body: chat('a') })).status).toBe(200);
    expect(upstream.calls).toHaveLength(1);
  });

  it('does not cool down the deployments of a group for a request larger than their tpm', async () => {
    const upstream = scriptedUpstream({ one: ok, two: ok });
    const capped = (id: string) => ({ id, model: 'openai/gpt-4o', extra: { tpm: 200 } });
    const gateway = harness({ config: { model_list: group('g', capped('one'), capped('two')) }, upstream });
    const big = chat('g', { messages: [{ role: 'user', content: 'x'.repeat(500) }] });
    const refused = json(await gateway.handle({ operation: 'chat', headers: {}, body: big }));
    expect(refused.status).toBe(429);
    // The router sees the prompt alone exceeds every deployment's tpm (gw's own reservation would say so too).
    expect(refused.body).toMatchObject({
      error: {
        code: 'GW_ERR_ROUTER_REQUEST_TOO_LARGE',
        message: expect.stringMatching(/^Request too large/),
      },
    });
    expect(refused.headers['retry-after']).toBeUndefined();
    const statuses = [];
    for (let index = 0; index < 4; index++) {
      statuses.push((await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it('refuses a prompt plus max_tokens over a deployment tpm as too large, and keeps the deployments in service', async () => {
    const upstream = scriptedUpstream({ one: ok, two: ok });
    const capped = (id: string) => ({ id, model: 'openai/gpt-4o', extra: { tpm: 200 } });
    const gateway = harness({ config: { model_list: group('g', capped('one'), capped('two')) }, upstream });
    // The prompt alone fits the tpm (the router lets it through); with its max_tokens it never can.
    const refused = json(
      await gateway.handle({ operation: 'chat', headers: {}, body: chat('g', { max_tokens: 500 }) }),
    );
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'GW_ERR_REQUEST_TOO_LARGE' } });
    expect(refused.headers['retry-after']).toBeUndefined();
    expect(upstream.calls).toHaveLength(0);
    const statuses = [];
    for (let index = 0; index < 4; index++) {
      statuses.push((await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it('gives 429 when the only deployment is at its litellm_params rpm, without calling it', async () => {
    const upstream = scriptedUpstream({ d: ok });
    const gateway = harness({
      config: { model_list: group('g', { id: 'd', model: 'openai/gpt-4o', rpm: 2 }) },
      upstream,
    });
    const statuses = [];
    for (let index = 0; index < 4; index++) {
      statuses.push((await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') })).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(upstream.calls).toHaveLength(2);
  });

  it('falls back to another group when the only deployment is at its rpm and the group has fallbacks', async () => {
    const upstream = scriptedUpstream({ capped: ok, spare: ok });
    const gateway = harness({
      config: {
        model_list: [
          ...group('g', { id: 'capped', model: 'openai/gpt-4o', rpm: 1 }),
          ...group('h', { id: 'spare', model: 'openai/gpt-4o' }),
        ],
        router_settings: { fallbacks: [{ g: ['h'] }] },
      },
      upstream,
    });
    const first = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    const second = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers['x-gw-model-group']).toBe('h');
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['capped', 'spare']);
  });

  it('sends traffic past a deployment at its rpm to the next deployment', async () => {
    const upstream = scriptedUpstream({ small: ok, big: ok });
    const gateway = harness({
      config: {
        model_list: group(
          'g',
          { id: 'small', model: 'openai/gpt-4o', rpm: 1, extra: { order: 1 } },
          { id: 'big', model: 'openai/gpt-4o', extra: { order: 2 } },
        ),
      },
      upstream,
    });
    for (let index = 0; index < 3; index++)
      await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') });
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['small', 'big', 'big']);
  });
});

describe('gateway.handle: streams', () => {
  const config = {
    model_list: group(
      'g',
      { id: 'first', model: 'openai/gpt-4o', extra: { order: 1 } },
      { id: 'second', model: 'openai/gpt-4o', extra: { order: 2 } },
    ),
  };

  it('relays chunks and ends with [DONE], billing the upstream usage', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['Hel', 'lo'], { usage: { prompt_tokens: 4, completion_tokens: 2 } }),
    });
    const gateway = harness({ config, upstream });
    const response = streamed(
      await gateway.handle({ operation: 'chat', headers: {}, body: chat('g', { stream: true }) }),
    );
    expect(response.headers['content-type']).toContain('text/event-stream');
    const text = await readAll(response.stream);
    expect(text).toContain('"content":"Hel"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(await gateway.metrics()).toMatch(
      /gw_tokens_total\{model_group="g",deployment="first",direction="output"\} 2/,
    );
  });

  it('pipes to a sink, waiting for it to drain, with the same text as iterating', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['Hel', 'lo'], { usage: { prompt_tokens: 4, completion_tokens: 2 } }),
    });
    const gateway = harness({ config, upstream });
    const request = { operation: 'chat' as const, headers: {}, body: chat('g', { stream: true }) };
    const iterated = await readAll(streamed(await gateway.handle(request)).stream);
    const written: string[] = [];
    let drains = 0;
    const sink = {
      closed: false,
      // Full after every piece: the relay must wait for drained() each time.
      write(text: string) {
        written.push(text);
        return false;
      },
      drained: async () => {
        drains += 1;
      },
    };
    await streamed(await gateway.handle(request)).stream.pipeTo?.(sink);
    expect(written.join('')).toBe(iterated);
    expect(drains).toBe(written.length);
    expect(written.at(-1)).toBe('data: [DONE]\n\n');
  });

  it('stops and cancels the upstream when the sink closes mid-stream', async () => {
    let upstreamClosed = false;
    const upstream = scriptedUpstream({
      first: async () => {
        const inner = chunkStream(['a', 'b', 'c', 'd']).chunks;
        const chunks: AsyncIterableIterator<unknown> = {
          next: () => inner.next(),
          return: (value?: unknown) => {
            upstreamClosed = true;
            return inner.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
          },
          [Symbol.asyncIterator]: () => chunks,
        };
        return { chunks };
      },
    });
    const gateway = harness({ config, upstream });
    const written: string[] = [];
    const sink = {
      closed: false,
      write(text: string) {
        written.push(text);
        if (written.length === 2) sink.closed = true;
        return true;
      },
      drained: async () => undefined,
    };
    const response = streamed(
      await gateway.handle({ operation: 'chat', headers: {}, body: chat('g', { stream: true }) }),
    );
    await response.stream.pipeTo?.(sink);
    expect(written).toHaveLength(2);
    expect(written.join('')).not.toContain('[DONE]');
    expect(upstreamClosed).toBe(true);
  });

  it('retries transparently when the stream fails before its first chunk', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['never'], { failAfter: 0 }),
      second: async () => chunkStream(['fine']),
    });
    const gateway = harness({ config, upstream });
    const response = streamed(
      await gateway.handle({ operation: 'chat', headers: {}, body: chat('g', { stream: true }) }),
    );
    const text = await readAll(response.stream);
    expect(text).toContain('"content":"fine"');
    expect(text).not.toContain('error');
    expect(response.headers['x-gw-deployment']).toBe('second');
  });

  it('ends a stream cut after bytes were sent with an explicit error event, never [DONE]', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['one ', 'two ', 'three'], { failAfter: 2 }),
    });
    const gateway = harness({ config, upstream });
    const response = streamed(
      await gateway.handle({ operation: 'chat', headers: {}, body: chat('g', { stream: true }) }),
    );
    const text = await readAll(response.stream);
    expect(text).toContain('"content":"two "');
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
    expect(await gateway.metrics()).toMatch(/gw_errors_total\{model_group="g",class="connection"\} 1/);
  });

  it('counts output tokens locally when the upstream reports no usage', async () => {
    const upstream = scriptedUpstream({ first: async () => chunkStream(['a b ', 'c d']) });
    const gateway = harness({ config, upstream });
    const response = streamed(
      await gateway.handle({ operation: 'chat', headers: {}, body: chat('g', { stream: true }) }),
    );
    await readAll(response.stream);
    expect(await gateway.metrics()).toMatch(/direction="output"\} 4/);
  });
});

describe('gateway.handle: client disconnect', () => {
  it('aborts the upstream call and releases the parallel-request slot', async () => {
    let seen: AbortSignal | undefined;
    const upstream = scriptedUpstream({
      a: async ({ signal }) => {
        seen = signal;
        if (upstream.calls.length > 1) return completion('second');
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      },
    });
    const gateway = harness({
      config: {
        model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }),
        gw_settings: { virtual_keys: [{ key: 'sk-single-0001', max_parallel_requests: 1 }] },
      },
      upstream,
    });
    const headers = { 'x-api-key': 'sk-single-0001' };
    const client = new AbortController();
    const pending = gateway.handle({ operation: 'chat', headers, body: chat('g'), signal: client.signal });
    await new Promise((resolve) => setImmediate(resolve));
    client.abort();
    await pending;
    expect(seen?.aborted).toBe(true);
    const next = await gateway.handle({ operation: 'chat', headers, body: chat('g') });
    expect(next.status).toBe(200);
  });

  it('cancels the upstream stream when the caller stops reading', async () => {
    let upstreamSignal: AbortSignal | undefined;
    const upstream = scriptedUpstream({
      a: async ({ signal }) => {
        upstreamSignal = signal;
        return chunkStream(['x', 'y'], { hang: true, signal });
      },
    });
    const gateway = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream,
    });
    const client = new AbortController();
    const response = streamed(
      await gateway.handle({
        operation: 'chat',
        headers: {},
        body: chat('g', { stream: true }),
        signal: client.signal,
      }),
    );
    const iterator = response.stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    const pending = iterator.next();
    client.abort();
    await pending.catch(() => undefined);
    await iterator.return?.(undefined);
    expect(upstreamSignal?.aborted).toBe(true);
  });
});

describe('hooks', () => {
  it('run before and after each step in middleware order and may rewrite the request', async () => {
    const order: string[] = [];
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream,
      hooks: {
        validate: (next) => async (ctx) => {
          order.push('before validate');
          ctx.body = { ...(ctx.body as object), model: 'g' };
          await next(ctx);
          order.push('after validate');
        },
        call: (next) => async (ctx) => {
          order.push(`call ${ctx.deployment?.id}`);
          await next(ctx);
        },
        account: (next) => async (ctx) => {
          await next(ctx);
          order.push(`cost ${ctx.costUsd?.toFixed(6)}`);
        },
      },
    });
    const response = await gateway.handle({ operation: 'chat', headers: {}, body: chat('rewritten-away') });
    expect(response.status).toBe(200);
    expect(order).toEqual(['before validate', 'after validate', 'call a', 'cost 0.000075']);
  });

  it('hand synchronous steps to their hooks as a Step: next(ctx) is a promise a hook may chain', async () => {
    const seen: string[] = [];
    const gateway = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream: scriptedUpstream({ a: ok }),
      hooks: {
        authenticate: (next) => (ctx) =>
          next(ctx).then(() => void seen.push(`principal ${ctx.principal?.id}`)),
        countTokens: (next) => (ctx) => next(ctx).then(() => void seen.push(`tokens ${ctx.promptTokens}`)),
        account: (next) => async (ctx) => {
          // A hook that waits: settlement and the answer follow it.
          await new Promise((resolve) => setImmediate(resolve));
          await next(ctx);
          seen.push(`cost ${ctx.costUsd !== undefined}`);
        },
      },
    });
    const response = await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['principal anonymous', expect.stringMatching(/^tokens \d+$/), 'cost true']);
  });

  it('gives back the caller limits held for a call a route hook answered itself (a cache)', async () => {
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: {
        model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }),
        general_settings: { master_key: MASTER },
        gw_settings: { virtual_keys: [{ key: 'sk-cached-key-01', max_parallel_requests: 1 }] },
      },
      upstream,
      hooks: {
        route: () => async (ctx) => {
          ctx.response = { status: 200, headers: {}, body: { cached: true } };
        },
      },
    });
    const headers = { 'x-api-key': 'sk-cached-key-01' };
    const statuses = [];
    for (let index = 0; index < 3; index++) {
      statuses.push((await gateway.handle({ operation: 'chat', headers, body: chat('g') })).status);
    }
    // One parallel slot: each cached answer must free it for the next call.
    expect(statuses).toEqual([200, 200, 200]);
    expect(upstream.calls).toHaveLength(0);
  });

  it('answers with what a call hook answered itself, without calling the upstream', async () => {
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: {
        model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }),
        general_settings: { master_key: MASTER },
        gw_settings: { virtual_keys: [{ key: 'sk-call-hook-01', max_parallel_requests: 1 }] },
      },
      upstream,
      hooks: {
        call: () => async (ctx) => {
          ctx.response = { status: 200, headers: {}, body: { from: `hook for ${ctx.deployment?.id}` } };
        },
      },
    });
    const headers = { 'x-api-key': 'sk-call-hook-01' };
    for (let index = 0; index < 3; index++) {
      // One parallel slot: each answer must free it for the next call.
      const answered = json(await gateway.handle({ operation: 'chat', headers, body: chat('g') }));
      expect([answered.status, answered.body]).toEqual([200, { from: 'hook for a' }]);
    }
    expect(upstream.calls).toHaveLength(0);
  });

  it('answers with a failing account hook logged, its limits still settled', async () => {
    const lines: string[] = [];
    const gateway = harness({
      config: {
        model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }),
        general_settings: { master_key: MASTER },
        gw_settings: { virtual_keys: [{ key: 'sk-hooked-key-01', max_parallel_requests: 1 }] },
      },
      upstream: scriptedUpstream({ a: ok }),
      logLines: lines,
      hooks: {
        account: () => () => {
          throw new Error('audit sink down');
        },
      },
    });
    const headers = { authorization: 'Bearer sk-hooked-key-01' };
    // One request in flight at most: the second passes only if the first one's slot was released.
    expect((await gateway.handle({ operation: 'chat', headers, body: chat('g') })).status).toBe(200);
    expect((await gateway.handle({ operation: 'chat', headers, body: chat('g') })).status).toBe(200);
    expect(lines.filter((line) => line.includes('account hook failed'))).toHaveLength(2);
  });

  it("gives a hook's own answer gw's headers in a copy, leaving the hook's headers object as it was", async () => {
    const cached = { 'x-cache': 'hit' };
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream,
      hooks: {
        // A cache hook answers from its store with one shared headers object: the steps after it are skipped.
        validate: () => async (ctx) => {
          ctx.response = { status: 200, headers: cached, body: { cached: true } };
        },
      },
    });
    const first = json(
      await gateway.handle({ operation: 'chat', headers: { 'x-request-id': 'req-1' }, body: chat('g') }),
    );
    const second = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    expect(first.body).toEqual({ cached: true });
    expect(first.headers).toMatchObject({
      'x-cache': 'hit',
      'x-request-id': 'req-1',
    });
    expect(first.headers['x-gw-overhead-ms']).toMatch(/^\d+\.\d{3}$/);
    expect(second.headers['x-request-id']).not.toBe('req-1');
    expect(first.headers).not.toBe(second.headers);
    expect(cached).toEqual({ 'x-cache': 'hit' });
    expect(upstream.calls).toHaveLength(0);
  });

  it('can refuse a request by throwing', async () => {
    const upstream = scriptedUpstream({ a: ok });
    const gateway = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream,
      hooks: {
        reserve: () => async () => {
          throw Object.assign(new Error('guardrail: blocked'), { status: 400 });
        },
      },
    });
    const response = json(await gateway.handle({ operation: 'chat', headers: {}, body: chat('g') }));
    expect(response.status).toBe(400);
    expect(upstream.calls).toHaveLength(0);
  });
});

describe('observability', () => {
  it('keeps metrics of two gateways in one process apart and exposes deployment state', async () => {
    const first = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream: scriptedUpstream({ a: ok }),
    });
    const second = harness({
      config: { model_list: group('g', { id: 'a', model: 'openai/gpt-4o' }) },
      upstream: scriptedUpstream({ a: ok }),
    });
    await first.handle({ operation: 'chat', headers: {}, body: chat('g') });
    expect(await first.metrics()).toMatch(
      /gw_requests_total\{operation="chat",model_group="g",deployment="a",status="200"\} 1/,
    );
    expect(await second.metrics()).not.toMatch(/gw_requests_total\{/);
    expect(await second.metrics()).toContain('gw_deployment_available{model_group="g",deployment="a"} 1');
    expect(first.health().healthy.map((entry) => entry.id)).toEqual(['a']);
  });

  it('never writes an API key, master key or bearer token to its logs', async () => {
    const lines: string[] = [];
    const upstream = scriptedUpstream({
      a: async () => {
        throw upstreamError(500, 'upstream_5xx');
      },
    });
    const gateway = harness({
      config: {
        model_list: [
          {
            model_name: 'g',
            litellm_params: { model: 'openai/gpt-4o', api_key: 'sk-upstream-secret-9' },
            model_info: { id: 'a' },
          },
        ],
        general_settings: { master_key: MASTER },
        router_settings: { num_retries: 0 },
      },
      upstream,
      logLines: lines,
    });
    await gateway.handle({ operation: 'chat', headers: auth, body: chat('g') });
    await gateway.handle({
      operation: 'chat',
      headers: { authorization: 'Bearer sk-wrong-guess-7' },
      body: chat('g'),
    });
    const logged = lines.join('\n');
    expect(logged).toContain('request failed');
    for (const secret of ['sk-upstream-secret-9', MASTER, 'sk-wrong-guess-7'])
      expect(logged).not.toContain(secret);
  });
});
