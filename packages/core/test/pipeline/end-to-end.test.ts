import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockUpstream } from '@gw/mock-upstream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import type { Gateway } from '../../src/pipeline/create-gateway.ts';
import { createGateway } from '../../src/pipeline/create-gateway-from-config.ts';
import type { GatewayJsonResponse, GatewayStreamResponse } from '../../src/pipeline/pipeline-context.ts';
import type { StreamSink } from '../../src/pipeline/stream-relay.ts';
import { rawJsonOf } from '../../src/translate/raw-json.ts';
import { readAll } from './support/fake-seams.ts';
import { useMockUpstream } from './support/mock-upstream-lifecycle.ts';

/** Retries and backoff go on at once: tests never wait on the wall clock. */
const noWait = { sleep: () => Promise.resolve() };

const UPSTREAM_KEY = 'sk-upstream-e2e-secret-1';
let mock: MockUpstream;
const gateways = useMockUpstream((started) => {
  mock = started;
});

function openai(group: string, model: string, extra: Record<string, unknown> = {}) {
  return {
    model_name: group,
    litellm_params: { model: `openai/${model}`, api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY, ...extra },
    model_info: { id: `${group}:${model}` },
  };
}

function gatewayFor(config: Record<string, unknown>, lines?: string[]): Gateway {
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines?.push(line) });
  const gateway = createGateway({
    config: loadConfig({ object: config }, {}).config,
    logger,
    routerOptions: noWait,
  });
  gateways.push(gateway);
  return gateway;
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Say something.' }],
  ...extra,
});

async function callJson(gateway: Gateway, body: unknown, operation: 'chat' | 'messages' = 'chat') {
  return (await gateway.handle({ operation, headers: {}, body })) as GatewayJsonResponse;
}

async function callStream(gateway: Gateway, body: unknown, operation: 'chat' | 'messages' = 'chat') {
  const response = (await gateway.handle({
    operation,
    headers: {},
    body: { ...(body as object), stream: true },
  })) as GatewayStreamResponse | GatewayJsonResponse;
  if (!('stream' in response))
    throw new Error(`expected a stream, got ${response.status}: ${JSON.stringify(response.body)}`);
  return { response, text: await readAll(response.stream) };
}

function sseContent(text: string): string {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: {'))
    .map((event) => JSON.parse(event.slice(6)) as { choices?: { delta?: { content?: string } }[] })
    .map((chunk) => chunk.choices?.[0]?.delta?.content ?? '')
    .join('');
}

describe('end to end against the mock upstream (OpenAI wire format)', () => {
  it('answers a chat completion with usage-based cost headers, sending the upstream key', async () => {
    const gateway = gatewayFor({ model_list: [openai('mini', 'gpt-4o-mini')] });
    const response = await callJson(gateway, chat('mini'));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      choices: [{ message: { content: 'The quick brown fox jumps over the lazy dog.' } }],
    });
    expect(response.headers['x-gw-deployment']).toBe('mini:gpt-4o-mini');
    expect(Number(response.headers['x-gw-cost'])).toBeGreaterThan(0);
    expect(mock.requests[0]!.headers.authorization).toBe('[redacted]');
    expect(mock.requests[0]!.keyFingerprint).toBeDefined();
  });

  it('answers Anthropic Messages ingress from an OpenAI deployment in Anthropic format', async () => {
    const gateway = gatewayFor({ model_list: [openai('claude-ish', 'gpt-4o-mini')] });
    const response = await callJson(gateway, { ...chat('claude-ish'), max_tokens: 100 }, 'messages');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text' }] });
  });

  it.each([
    ['429 rate limit', { status: 429, retryAfter: 1 }],
    ['500 server error', { status: 500 }],
    ['503 overloaded', { status: 503 }],
    ['connection reset', { reset: true }],
    ['upstream 401 (bad upstream key)', { status: 401 }],
  ])('moves on to the next deployment after a %s', async (_name, scenario) => {
    mock.setScenario('bad-model', scenario);
    const gateway = gatewayFor({
      model_list: [openai('g', 'bad-model', { order: 1 }), openai('g', 'good-model', { order: 2 })],
      router_settings: { num_retries: 1 },
    });
    const response = await callJson(gateway, chat('g'));
    expect(response.status).toBe(200);
    expect(response.headers['x-gw-deployment']).toBe('g:good-model');
    expect(mock.requests.map((request) => request.model)).toEqual(['bad-model', 'good-model']);
  });

  it('sends a context window error to context_window_fallbacks, never retrying the same group', async () => {
    mock.setScenario('small-model', { errorCode: 'context_length_exceeded' });
    const gateway = gatewayFor({
      model_list: [
        openai('small', 'small-model'),
        openai('small', 'small-model-2'),
        openai('large', 'large-model'),
      ],
      router_settings: { context_window_fallbacks: [{ small: ['large'] }], num_retries: 2 },
    });
    mock.setScenario('small-model-2', { errorCode: 'context_length_exceeded' });
    const response = await callJson(gateway, chat('small'));
    expect(response.status).toBe(200);
    expect(response.headers['x-gw-model-group']).toBe('large');
    expect(mock.requests.filter((request) => request.model !== 'large-model')).toHaveLength(1);
  });

  it('sends a content policy error to content_policy_fallbacks', async () => {
    mock.setScenario('strict-model', { errorCode: 'content_policy_violation' });
    const gateway = gatewayFor({
      model_list: [openai('strict', 'strict-model'), openai('lenient', 'lenient-model')],
      router_settings: { content_policy_fallbacks: [{ strict: ['lenient'] }] },
    });
    const response = await callJson(gateway, chat('strict'));
    expect(response.headers['x-gw-model-group']).toBe('lenient');
    expect(mock.requests.map((request) => request.model)).toEqual(['strict-model', 'lenient-model']);
  });

  it('returns an upstream 400 to the caller at once in OpenAI format', async () => {
    mock.setScenario('picky-model', { status: 400, errorMessage: 'temperature is out of range' });
    const gateway = gatewayFor({ model_list: [openai('g', 'picky-model'), openai('g', 'picky-model-2')] });
    mock.setScenario('picky-model-2', { status: 400, errorMessage: 'temperature is out of range' });
    const response = await callJson(gateway, chat('g'));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(mock.requests).toHaveLength(1);
  });

  it('returns 429 with retry-after when every deployment is rate limited', async () => {
    mock.setScenario('busy-model', { status: 429, retryAfter: 7 });
    const gateway = gatewayFor({
      model_list: [openai('g', 'busy-model')],
      router_settings: { num_retries: 0 },
    });
    const response = await callJson(gateway, chat('g'));
    expect(response.status).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('end to end: request ids', () => {
  it("forwards the caller's x-request-id to the upstream, streamed and not", async () => {
    const gateway = gatewayFor({ model_list: [openai('mini', 'gpt-4o-mini')] });
    const json = (await gateway.handle({
      operation: 'chat',
      headers: { 'x-request-id': 'caller-id-1' },
      body: chat('mini'),
    })) as GatewayJsonResponse;
    expect(json.headers['x-request-id']).toBe('caller-id-1');
    const streamed = await gateway.handle({
      operation: 'chat',
      headers: { 'x-request-id': 'caller-id-2' },
      body: chat('mini', { stream: true }),
    });
    if (!('stream' in streamed)) throw new Error(`expected a stream, got ${streamed.status}`);
    await readAll(streamed.stream);
    expect(mock.requests.map((request) => request.headers['x-request-id'])).toEqual([
      'caller-id-1',
      'caller-id-2',
    ]);
  });

  it('sends the id it generated when the caller sent none, the same one the caller gets back', async () => {
    const gateway = gatewayFor({ model_list: [openai('mini', 'gpt-4o-mini')] });
    const response = await callJson(gateway, chat('mini'));
    const generated = response.headers['x-request-id'];
    expect(generated).toMatch(/\S{8,}/);
    expect(mock.requests[0]!.headers['x-request-id']).toBe(generated);
  });
});

describe("end to end: a deployment's max_retries (LiteLLM's client retries)", () => {
  function retryingGateway(maxRetries: number | undefined, waits: number[] = []): Gateway {
    const extra = maxRetries === undefined ? {} : { max_retries: maxRetries };
    const gateway = createGateway({
      config: loadConfig(
        {
          object: { model_list: [openai('one', 'flaky-model', extra)], router_settings: { num_retries: 0 } },
        },
        {},
      ).config,
      logger: pino({ level: 'silent' }),
      routerOptions: {
        sleep: (ms: number) => {
          waits.push(ms);
          return Promise.resolve();
        },
        random: () => 0,
      },
    });
    gateways.push(gateway);
    return gateway;
  }

  it('makes one upstream attempt when max_retries is unset or 0', async () => {
    mock.setScenario('flaky-model', { status: 500 });
    expect((await callJson(retryingGateway(undefined), chat('one'))).status).toBe(502);
    expect((await callJson(retryingGateway(0), chat('one'))).status).toBe(502);
    expect(mock.requests).toHaveLength(2);
  });

  it('repeats a 5xx on the same deployment max_retries times before giving up', async () => {
    mock.setScenario('flaky-model', { status: 500 });
    const response = await callJson(retryingGateway(2), chat('one'));
    expect(response.status).toBe(502);
    expect(mock.requests).toHaveLength(3);
  });

  it('answers once a retry succeeds, as one router attempt, waiting the SDK backoff', async () => {
    mock.setScenario('flaky-model', { status: 503, failFirst: 2 });
    const waits: number[] = [];
    const response = await callJson(retryingGateway(3, waits), chat('one'));
    expect(response.status).toBe(200);
    expect(response.headers['x-gw-attempts']).toBe('1');
    expect(mock.requests).toHaveLength(3);
    expect(waits).toEqual([500, 1_000]);
  });

  it("waits the upstream's Retry-After on a 429", async () => {
    mock.setScenario('flaky-model', { status: 429, retryAfter: 2, failFirst: 1 });
    const waits: number[] = [];
    expect((await callJson(retryingGateway(1, waits), chat('one'))).status).toBe(200);
    expect(waits).toEqual([2_000]);
  });

  it('never repeats a bad request', async () => {
    mock.setScenario('flaky-model', { status: 400, errorMessage: 'temperature is out of range' });
    expect((await callJson(retryingGateway(3), chat('one'))).status).toBe(400);
    expect(mock.requests).toHaveLength(1);
  });

  it('retries a stream that fails before its first byte on the same deployment', async () => {
    mock.setScenario('flaky-model', { status: 502, failFirst: 1 });
    const { text } = await callStream(retryingGateway(1), chat('one'));
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(mock.requests).toHaveLength(2);
  });
});

describe('end to end: stream resume (resume_streams)', () => {
  const answer = 'Hello brave new world';
  function resumingGateway(models: string[]): Gateway {
    return gatewayFor({
      model_list: models.map((model, index) => openai('g', model, { order: index + 1 })),
      gw_settings: { resume_streams: true },
    });
  }
  async function streamWithId(gateway: Gateway, requestId: string): Promise<string> {
    const response = await gateway.handle({
      operation: 'chat',
      headers: { 'x-request-id': requestId },
      body: chat('g', { stream: true }),
    });
    if (!('stream' in response)) throw new Error(`expected a stream, got ${response.status}`);
    return readAll(response.stream);
  }

  it('continues a stream cut mid-way on the other deployment, never the one that broke it', async () => {
    mock.setScenario('cutting-model', { content: answer, cutAfterChunks: 2 });
    mock.setScenario('steady-model', { content: answer });
    const text = await streamWithId(resumingGateway(['cutting-model', 'steady-model']), 'resume-id-1');
    expect(sseContent(text)).toBe(answer);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(mock.requests.map((request) => request.model)).toEqual(['cutting-model', 'steady-model']);
    // The resumed call carries the caller's request id too.
    expect(mock.requests.map((request) => request.headers['x-request-id'])).toEqual([
      'resume-id-1',
      'resume-id-1',
    ]);
  });

  it('ends with the error event when the deployment that broke the stream is the only one', async () => {
    mock.setScenario('cutting-model', { content: answer, cutAfterChunks: 2 });
    const text = await streamWithId(resumingGateway(['cutting-model']), 'resume-id-2');
    expect(sseContent(text)).toBe('Hello brave');
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
    expect(mock.requests).toHaveLength(1);
  });
});

describe('end to end: enable_pre_call_checks', () => {
  function withSmallWindow(enablePreCallChecks: boolean | undefined): Gateway {
    const small = {
      ...openai('small', 'small-window-model'),
      model_info: { id: 'small:window', max_input_tokens: 5 },
    };
    const router_settings: Record<string, unknown> = { context_window_fallbacks: [{ small: ['large'] }] };
    if (enablePreCallChecks !== undefined) router_settings.enable_pre_call_checks = enablePreCallChecks;
    return gatewayFor({ model_list: [small, openai('large', 'large-window-model')], router_settings });
  }
  const longPrompt = chat('small', {
    messages: [{ role: 'user', content: 'This prompt is far longer than five tokens, on purpose.' }],
  });

  it('when true, skips a deployment whose context window is too small and goes to context_window_fallbacks', async () => {
    const response = await callJson(withSmallWindow(true), longPrompt);
    expect(response.status).toBe(200);
    expect(response.headers['x-gw-deployment']).toBe('large:large-window-model');
    expect(mock.requests.map((request) => request.model)).toEqual(['large-window-model']);
  });

  it("when false or unset (LiteLLM's default), sends the request and lets the upstream judge", async () => {
    for (const setting of [false, undefined]) {
      mock.reset();
      const response = await callJson(withSmallWindow(setting), longPrompt);
      expect(response.status).toBe(200);
      expect(mock.requests.map((request) => request.model)).toEqual(['small-window-model']);
    }
  });
});

describe('end to end: streams whose upstream reports no usage', () => {
  // Like an older vLLM or Ollama: ignores stream_options.include_usage and never sends usage.
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    silent = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const content of ['Hello', ' there', ' friend']) {
          const chunk = {
            id: 'chatcmpl-silent',
            object: 'chat.completion.chunk',
            created: 1,
            model: 'silent-model',
            choices: [{ index: 0, delta: { content }, finish_reason: null }],
          };
          response.write(`data: ${JSON.stringify(chunk)}\n\n`);
        }
        response.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  function silentGateway(seen: { usage?: unknown; counted?: boolean }[], logLines?: string[]): Gateway {
    const logger =
      logLines === undefined
        ? pino({ level: 'silent' })
        : pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
    const gateway = createGateway({
      config: loadConfig(
        {
          object: {
            model_list: [
              {
                model_name: 'quiet',
                litellm_params: { model: 'openai/gpt-4o', api_base: silentUrl, api_key: 'k' },
              },
            ],
          },
        },
        {},
      ).config,
      logger,
      hooks: {
        account: (next) => async (ctx) => {
          await next(ctx);
          seen.push({ usage: ctx.usage, counted: ctx.usageCounted });
        },
      },
    });
    gateways.push(gateway);
    return gateway;
  }

  it('gives a caller who asked for usage the counts gw made, marked gw_usage_counted', async () => {
    const seen: { usage?: unknown; counted?: boolean }[] = [];
    const { text } = await callStream(
      silentGateway(seen),
      chat('quiet', { stream_options: { include_usage: true } }),
    );
    const events = text.split('\n\n').filter((event) => event.startsWith('data: {'));
    const last = JSON.parse(events.at(-1)!.slice(6));
    expect(last.choices).toEqual([]);
    // "Hello there friend" is 3 tokens in o200k_base.
    expect(last.usage).toMatchObject({ completion_tokens: 3, gw_usage_counted: true });
    expect(last.usage.prompt_tokens).toBeGreaterThan(0);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(seen).toEqual([
      { usage: { inputTokens: last.usage.prompt_tokens, outputTokens: 3 }, counted: true },
    ]);
  });

  it('keeps the counted usage out of the stream of a caller who did not ask, but accounts for it', async () => {
    const seen: { usage?: unknown; counted?: boolean }[] = [];
    const { text } = await callStream(silentGateway(seen), chat('quiet'));
    expect(text).not.toContain('usage');
    expect(seen[0]!.counted).toBe(true);
  });

  it("puts the counted output tokens in an Anthropic caller's message_delta", async () => {
    const seen: { usage?: unknown; counted?: boolean }[] = [];
    const { text } = await callStream(
      silentGateway(seen),
      { model: 'quiet', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] },
      'messages',
    );
    const delta = text
      .split('\n\n')
      .find((event) => event.startsWith('event: message_delta'))!
      .split('\n')
      .find((line) => line.startsWith('data: '))!;
    expect(JSON.parse(delta.slice(6)).usage.output_tokens).toBe(3);
    expect(seen[0]!.counted).toBe(true);
  });

  it('says in the request log line that the usage was counted by gw', async () => {
    const lines: string[] = [];
    await callStream(silentGateway([], lines), chat('quiet'));
    const finished = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'request finished');
    expect(finished).toMatchObject({ usageCounted: true, outputTokens: 3 });
    expect(finished!.inputTokens).toBeGreaterThan(0);
  });

  it('does not mark usage the upstream reported', async () => {
    const lines: string[] = [];
    const gateway = createGateway({
      config: loadConfig({ object: { model_list: [openai('g', 'usage-model')] } }, {}).config,
      logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }),
      hooks: {
        account: (next) => async (ctx) => {
          await next(ctx);
          lines.push(JSON.stringify({ msg: 'account', counted: ctx.usageCounted }));
        },
      },
    });
    gateways.push(gateway);
    const { text } = await callStream(gateway, chat('g', { stream_options: { include_usage: true } }));
    expect(text).toContain('"usage":{');
    expect(text).not.toContain('gw_usage_counted');
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.find((line) => line.msg === 'account')).toEqual({ msg: 'account', counted: false });
    expect(parsed.find((line) => line.msg === 'request finished')).toMatchObject({ usageCounted: false });
  });
});

describe('end to end: raw upstream JSON', () => {
  it("keeps an OpenAI upstream's own JSON text for an OpenAI caller, and none for a translated answer", async () => {
    const gateway = gatewayFor({ model_list: [openai('mini', 'gpt-4o-mini')] });
    const passed = await callJson(gateway, chat('mini'));
    const raw = rawJsonOf(passed.body);
    expect(typeof raw).toBe('string');
    expect(JSON.parse(raw!)).toEqual(passed.body);
    const translated = await callJson(
      gateway,
      { model: 'mini', max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] },
      'messages',
    );
    expect(translated.status).toBe(200);
    expect(rawJsonOf(translated.body)).toBeUndefined();
  });
});

describe('end to end: completions and embeddings', () => {
  it('answers legacy completions, streamed and not, and embeddings', async () => {
    const gateway = gatewayFor({
      model_list: [openai('g', 'gpt-3.5-turbo-instruct'), openai('e', 'text-embedding-3-small')],
    });
    const completion = (await gateway.handle({
      operation: 'completions',
      headers: {},
      body: { model: 'g', prompt: 'Say something', max_tokens: 5 },
    })) as GatewayJsonResponse;
    expect(completion.status).toBe(200);
    expect(completion.body).toMatchObject({
      object: 'text_completion',
      choices: [{ text: expect.any(String) }],
    });
    const streamed = (await gateway.handle({
      operation: 'completions',
      headers: {},
      body: { model: 'g', prompt: 'Say something', max_tokens: 5, stream: true },
    })) as GatewayStreamResponse;
    const text = await readAll(streamed.stream);
    expect(text).toContain('"text":"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(mock.requests[1]!.path).toBe('/v1/completions');
    const embedding = (await gateway.handle({
      operation: 'embeddings',
      headers: {},
      body: { model: 'e', input: ['one', 'two'], encoding_format: 'float' },
    })) as GatewayJsonResponse;
    expect(embedding.status).toBe(200);
    expect((embedding.body as { data: unknown[] }).data).toHaveLength(2);
    expect(Number(embedding.headers['x-gw-cost'])).toBeGreaterThan(0);
  });
});

describe('end to end streams against the mock upstream', () => {
  it('relays a stream chunk by chunk and ends it with [DONE]', async () => {
    const gateway = gatewayFor({ model_list: [openai('g', 'stream-model')] });
    const { text } = await callStream(gateway, chat('g'));
    expect(sseContent(text)).toBe('The quick brown fox jumps over the lazy dog.');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('asks the upstream for usage but passes it on only when the caller asked for it', async () => {
    const gateway = gatewayFor({ model_list: [openai('g', 'usage-model')] });
    const plain = await callStream(gateway, chat('g'));
    expect(plain.text).not.toContain('"usage":{');
    const withUsage = await callStream(gateway, chat('g', { stream_options: { include_usage: true } }));
    expect(withUsage.text).toContain('"usage":{');
    expect(
      mock.requests.every(
        (request) => (request.body as { stream_options?: unknown }).stream_options !== undefined,
      ),
    ).toBe(true);
  });

  it('ends a stream cut after bytes were sent with an explicit error event', async () => {
    mock.setScenario('cut-model', { cutAfterChunks: 3 });
    const gateway = gatewayFor({ model_list: [openai('g', 'cut-model')] });
    const { text } = await callStream(gateway, chat('g'));
    expect(sseContent(text)).toBe('The quick brown');
    expect(text).toMatch(/data: \{"error":/);
    expect(text).not.toContain('[DONE]');
  });

  /** A caller connection whose buffer is always full: every piece waits for a drain on a later turn. */
  async function pipeToSlowSink(gateway: Gateway, body: unknown) {
    const response = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: { ...(body as object), stream: true },
    })) as GatewayStreamResponse;
    let text = '';
    let drains = 0;
    const sink: StreamSink = {
      write: (piece) => {
        text += piece;
        return false;
      },
      drained: () => new Promise<void>((resolve) => setImmediate(() => resolve(void drains++))),
      closed: false,
    };
    await response.stream.pipeTo?.(sink);
    return { text, drains };
  }

  it('pipes a stream to a slow caller in order, waiting for it after every piece', async () => {
    const gateway = gatewayFor({ model_list: [openai('g', 'stream-model')] });
    const { text, drains } = await pipeToSlowSink(gateway, chat('g'));
    expect(sseContent(text)).toBe('The quick brown fox jumps over the lazy dog.');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(drains).toBeGreaterThan(5);
  });

  it('ends a stream piped to a slow caller with an error event when the upstream cuts it', async () => {
    mock.setScenario('cut-slow-model', { cutAfterChunks: 3 });
    const gateway = gatewayFor({ model_list: [openai('g', 'cut-slow-model')] });
    const { text } = await pipeToSlowSink(gateway, chat('g'));
    expect(sseContent(text)).toBe('The quick brown');
    expect(text).toMatch(/data: \{"error":/);
    expect(text).not.toContain('[DONE]');
  });

  it('finalises a stream that ends without [DONE]', async () => {
    mock.setScenario('no-done-model', { omitDone: true });
    const gateway = gatewayFor({ model_list: [openai('g', 'no-done-model')] });
    const { text } = await callStream(gateway, chat('g'));
    expect(sseContent(text)).toBe('The quick brown fox jumps over the lazy dog.');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('skips a malformed chunk and logs it, passing nothing invalid on', async () => {
    const lines: string[] = [];
    mock.setScenario('garbled-model', { malformedChunkAt: 2 });
    const gateway = gatewayFor({ model_list: [openai('g', 'garbled-model')] }, lines);
    const { text } = await callStream(gateway, chat('g'));
    expect(sseContent(text)).toBe('The quick brown fox jumps over the lazy dog.');
    expect(text).not.toContain('"error"');
    expect(lines.join('\n')).toContain('malformed stream chunk skipped');
  });

  it('retries transparently when a stream fails before its first byte', async () => {
    mock.setScenario('flaky-stream', { status: 503, failFirst: 1 });
    const gateway = gatewayFor({
      model_list: [openai('g', 'flaky-stream')],
      router_settings: { num_retries: 2 },
    });
    const { text, response } = await callStream(gateway, chat('g'));
    expect(sseContent(text)).toBe('The quick brown fox jumps over the lazy dog.');
    expect(response.headers['x-gw-attempts']).toBe('2');
  });

  it('streams Anthropic events to an Anthropic caller', async () => {
    const gateway = gatewayFor({ model_list: [openai('g', 'any-model')] });
    const { text } = await callStream(gateway, { ...chat('g'), max_tokens: 50 }, 'messages');
    expect(text).toContain('event: message_start');
    expect(text).toContain('"text_delta"');
    expect(text.trim().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });
});

describe('end to end: cancellation and secrets', () => {
  let server: Server;
  let closedByGateway: Promise<void>;

  beforeAll(async () => {
    let markClosed: () => void = () => undefined;
    closedByGateway = new Promise((resolve) => {
      markClosed = resolve;
    });
    // An OpenAI-speaking upstream that streams one chunk then waits, recording when its client hangs up.
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] })}\n\n`,
      );
      response.on('close', () => markClosed());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('cancels the upstream request when the client disconnects mid-stream', async () => {
    const port = (server.address() as AddressInfo).port;
    const gateway = gatewayFor({
      model_list: [
        {
          model_name: 'g',
          litellm_params: { model: 'openai/m', api_base: `http://127.0.0.1:${port}/v1`, api_key: 'k' },
        },
      ],
    });
    const client = new AbortController();
    const response = (await gateway.handle({
      operation: 'chat',
      headers: {},
      body: { ...chat('g'), stream: true },
      signal: client.signal,
    })) as GatewayStreamResponse;
    const iterator = response.stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toContain('"Hi"');
    const pending = iterator.next();
    client.abort();
    await pending.catch(() => undefined);
    await closedByGateway;
    await iterator.return?.(undefined);
  });

  it('never logs the upstream key, even when the upstream rejects it', async () => {
    const lines: string[] = [];
    mock.setScenario('locked-model', { status: 401 });
    const gateway = gatewayFor(
      { model_list: [openai('g', 'locked-model')], router_settings: { num_retries: 0 } },
      lines,
    );
    const response = await callJson(gateway, chat('g'));
    expect(response.status).toBe(502);
    expect(lines.join('\n')).toContain('request failed');
    expect(lines.join('\n')).not.toContain(UPSTREAM_KEY);
    expect(JSON.stringify(response.body)).not.toContain(UPSTREAM_KEY);
  });
});

describe('a library caller without a signal', () => {
  it('serves many concurrent calls through the upstream pool with no abort listener warning', async () => {
    mock.setScenario('gpt-4o', { latencyMs: 20 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const gateway = gatewayFor({ model_list: [openai('g', 'gpt-4o')] });
      const responses = await Promise.all(Array.from({ length: 20 }, () => callJson(gateway, chat('g'))));
      expect(responses.map((response) => response.status)).toEqual(new Array(20).fill(200));
      // Node reports a possible listener leak on the next tick after the eleventh listener.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
