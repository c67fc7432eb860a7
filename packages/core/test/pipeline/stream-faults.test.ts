// Streams under upstream faults and caller aborts, through the real gateway and the mock upstream: final bytes,
// retries and resumes, and everything the request reserved released afterwards.
import type { MockUpstream, Scenario } from '@gw/mock-upstream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import type { Gateway } from '../../src/pipeline/create-gateway.ts';
import { createGateway } from '../../src/pipeline/create-gateway-from-config.ts';
import type { GatewayStreamResponse } from '../../src/pipeline/pipeline-context.ts';
import { readAll } from './support/fake-seams.ts';
import { useMockUpstream } from './support/mock-upstream-lifecycle.ts';

type UpstreamKind = 'openai' | 'anthropic';
type CallerProtocol = 'chat' | 'messages';

const VIRTUAL_KEY = 'sk-virtual-stream-1';
const ANSWER = 'The quick brown fox jumps over the lazy dog.';

let mock: MockUpstream;
const gateways = useMockUpstream((started) => {
  mock = started;
});

function deployment(kind: UpstreamKind, model: string, order: number) {
  const params =
    kind === 'openai'
      ? { model: `openai/${model}`, api_base: `${mock.url}/v1`, api_key: 'sk-upstream-123456' }
      : { model: `anthropic/${model}`, api_base: mock.url, api_key: 'sk-ant-upstream-123456' };
  return { model_name: 'g', litellm_params: { ...params, order }, model_info: { id: model } };
}

/** One concurrent request per key: a lease left held refuses the next request. */
function gatewayOf(
  models: unknown[],
  options: { resume?: boolean; numRetries?: number; onFinished?: () => void } = {},
): Gateway {
  const gateway = createGateway({
    config: loadConfig(
      {
        object: {
          model_list: models,
          router_settings: { num_retries: options.numRetries ?? 0 },
          gw_settings: {
            metrics: true,
            resume_streams: options.resume ?? false,
            virtual_keys: [{ key: VIRTUAL_KEY, max_parallel_requests: 1, tpm: 100_000 }],
          },
        },
      },
      {},
    ).config,
    // The request's last act is its `request finished` line (then its metrics, in the same turn).
    logger: pino(
      { level: 'debug' },
      { write: (line: string) => void (line.includes('"request finished"') && options.onFinished?.()) },
    ),
    routerOptions: { sleep: () => Promise.resolve() },
  });
  gateways.push(gateway);
  return gateway;
}

async function openStream(gateway: Gateway, protocol: CallerProtocol, signal?: AbortSignal) {
  const body =
    protocol === 'chat'
      ? { model: 'g', stream: true, messages: [{ role: 'user', content: 'Hi' }] }
      : { model: 'g', stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };
  const response = await gateway.handle({
    operation: protocol,
    headers: { authorization: `Bearer ${VIRTUAL_KEY}` },
    body,
    ...(signal === undefined ? {} : { signal }),
  });
  if (!('stream' in response)) throw new Error(`expected a stream, got ${response.status}`);
  return response as GatewayStreamResponse;
}

/** The answer's text, from OpenAI chunks or Anthropic text deltas. */
function textOf(sse: string): string {
  let text = '';
  for (const event of sse.split('\n\n')) {
    const data = event.split('\n').find((line) => line.startsWith('data: {'));
    if (data === undefined) continue;
    const parsed = JSON.parse(data.slice(6)) as {
      choices?: { delta?: { content?: string } }[];
      delta?: { text?: string };
    };
    text += parsed.choices?.[0]?.delta?.content ?? parsed.delta?.text ?? '';
  }
  return text;
}

function expectCompleted(sse: string, protocol: CallerProtocol): void {
  if (protocol === 'chat') {
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(sse).not.toContain('"error"');
  } else {
    expect(sse.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    expect(sse).not.toContain('event: error');
  }
}

function expectErrorEnding(sse: string, protocol: CallerProtocol): void {
  const last = sse.trimEnd().split('\n\n').at(-1)!;
  if (protocol === 'chat') {
    expect(last).toMatch(/^data: \{"error":\{/);
    expect(sse).not.toContain('[DONE]');
  } else {
    expect(last).toMatch(/^event: error\ndata: \{"type":"error","error":\{/);
    expect(sse).not.toContain('message_stop');
  }
}

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** Nothing the request reserved is still held: gauge at zero, every decision settled, the lease free again. */
async function expectReleased(gateway: Gateway, protocol: CallerProtocol): Promise<void> {
  const metrics = await gateway.metrics();
  expect(metricValue(metrics, 'gw_in_flight_requests')).toBe(0);
  expect(metricValue(metrics, 'gw_limiter_store{stat="settlements"}')).toBe(
    metricValue(metrics, 'gw_limiter_store{stat="decisions"}'),
  );
  mock.setScenario('steady', {});
  const next = await openStream(gateway, protocol);
  expect(next.status).toBe(200);
  await readAll(next.stream);
}

const kinds: UpstreamKind[] = ['openai', 'anthropic'];
const protocols: CallerProtocol[] = ['chat', 'messages'];
const matrix = kinds.flatMap((kind) => protocols.map((protocol) => [kind, protocol] as const));

describe('a stream that breaks after bytes reached the caller', () => {
  const breaks: [string, Scenario][] = [
    ['a cut after 3 chunks', { cutAfterChunks: 3 }],
    [
      'an overloaded_error event after 3 chunks',
      { streamError: { type: 'overloaded_error', afterChunks: 3 } },
    ],
  ];
  describe.each(matrix)('from an %s upstream to a %s caller', (kind, protocol) => {
    it.each(breaks)('ends %s with the error event and releases the request', async (_name, scenario) => {
      mock.setScenario('breaking', scenario);
      const gateway = gatewayOf([deployment(kind, 'breaking', 1), deployment(kind, 'steady', 2)]);
      const sse = await readAll((await openStream(gateway, protocol)).stream);
      expect(textOf(sse)).toBe('The quick brown');
      expectErrorEnding(sse, protocol);
      await expectReleased(gateway, protocol);
    });

    it.each(breaks)('with resume_streams, continues %s on the other deployment', async (_name, scenario) => {
      mock.setScenario('breaking', scenario);
      // Anthropic continues after an assistant prefill of the sent text; the mock answers just the rest.
      if (kind === 'anthropic') mock.setScenario('steady', { content: ' fox jumps over the lazy dog.' });
      const gateway = gatewayOf([deployment(kind, 'breaking', 1), deployment(kind, 'steady', 2)], {
        resume: true,
      });
      const sse = await readAll((await openStream(gateway, protocol)).stream);
      expect(textOf(sse)).toBe(ANSWER);
      expectCompleted(sse, protocol);
      expect(mock.requests.map((request) => request.model)).toEqual(['breaking', 'steady']);
      await expectReleased(gateway, protocol);
    });

    it('skips a malformed chunk in the middle and completes the answer', async () => {
      mock.setScenario('garbled', { malformedChunkAt: 4 });
      const gateway = gatewayOf([deployment(kind, 'garbled', 1)]);
      const sse = await readAll((await openStream(gateway, protocol)).stream);
      expect(textOf(sse)).toBe(ANSWER);
      expectCompleted(sse, protocol);
      await expectReleased(gateway, protocol);
    });
  });
});

describe('a stream that fails before any content', () => {
  const failures: [string, Scenario][] = [
    ['is cut right after its role chunk', { cutAfterChunks: 0 }],
    ['sends an error event right after its role chunk', { streamError: { type: 'overloaded_error' } }],
  ];
  describe.each(matrix)('from an %s upstream to a %s caller', (kind, protocol) => {
    it.each(failures)('that %s goes to the next deployment transparently', async (_name, scenario) => {
      mock.setScenario('failing', scenario);
      const gateway = gatewayOf([deployment(kind, 'failing', 1), deployment(kind, 'steady', 2)], {
        numRetries: 1,
      });
      const response = await openStream(gateway, protocol);
      const sse = await readAll(response.stream);
      expect(textOf(sse)).toBe(ANSWER);
      expectCompleted(sse, protocol);
      expect(response.headers['x-gw-deployment']).toBe('steady');
      expect(mock.requests.map((request) => request.model)).toEqual(['failing', 'steady']);
      // The role chunk or message_start of the failed attempt is never sent: the caller sees one answer's.
      expect(sse.match(/"role":"assistant"/g)).toHaveLength(1);
      await expectReleased(gateway, protocol);
    });
  });
});

describe('resume_streams when every deployment breaks the stream', () => {
  it('never resumes on a deployment that already broke the stream, and ends with the error event', async () => {
    mock.setScenario('first', { cutAfterChunks: 3 });
    mock.setScenario('second', { cutAfterChunks: 3 });
    const gateway = gatewayOf([deployment('openai', 'first', 1), deployment('openai', 'second', 2)], {
      resume: true,
    });
    const sse = await readAll((await openStream(gateway, 'chat')).stream);
    expect(textOf(sse)).toBe('The quick brown');
    expectErrorEnding(sse, 'chat');
    expect(mock.requests.map((request) => request.model)).toEqual(['first', 'second']);
  });

  it('counts a break once against its deployment when no resume is possible', async () => {
    mock.setScenario('only', { cutAfterChunks: 3 });
    const gateway = gatewayOf([deployment('openai', 'only', 1)], { resume: true });
    expectErrorEnding(await readAll((await openStream(gateway, 'chat')).stream), 'chat');
    const metrics = await gateway.metrics();
    expect(
      metricValue(
        metrics,
        'gw_upstream_attempt_errors_total{model_group="g",deployment="only",class="connection"}',
      ),
    ).toBe(1);
    expect(gateway.router.state().deployments[0]!.consecutiveFailures).toBe(1);
  });
});

describe('a caller that aborts an iterated stream', () => {
  it.each(matrix)(
    'from an %s upstream to a %s caller, releases the request without the caller reading on',
    async (kind, protocol) => {
      mock.setScenario('stalling', { stallAfterChunks: 3 });
      let markFinished: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => {
        markFinished = resolve;
      });
      const gateway = gatewayOf([deployment(kind, 'stalling', 1)], { onFinished: () => markFinished() });
      const client = new AbortController();
      const response = await openStream(gateway, protocol, client.signal);
      const iterator = response.stream[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      client.abort();
      // The caller is gone: it never calls next() or return() again, yet the request finishes and is released.
      await finished;
      // The follow-up request would stall too, until the pool's 30 s idle timeout: it only checks admission.
      mock.setScenario('stalling', {});
      await expectReleased(gateway, protocol);
    },
  );
});
