import { type MockUpstream, type Scenario, scenarioHeader, startMockUpstream } from '@gw/mock-upstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUpstreamPool, type UpstreamPool, type UpstreamRequest } from '../src/index.ts';
import { failure } from './support/pool-failure.ts';

let upstream: MockUpstream;
let pool: UpstreamPool;

beforeEach(async () => {
  upstream = await startMockUpstream();
  pool = createUpstreamPool({ timeouts: { headersMs: 300, idleMs: 300 } });
});

afterEach(async () => {
  await pool.close();
  await upstream.close();
});

function chat(stream: boolean, scenario: Scenario = {}): UpstreamRequest {
  return {
    origin: upstream.url,
    path: '/v1/chat/completions',
    method: 'POST',
    headers: {
      authorization: 'Bearer sk-test',
      'content-type': 'application/json',
      [scenarioHeader]: JSON.stringify(scenario),
    },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hi' }] }),
    stream,
  };
}

async function readStream(request: UpstreamRequest): Promise<string> {
  const response = await pool.request(request);
  let text = '';
  for await (const chunk of response.body) text += Buffer.from(chunk).toString();
  return text;
}

describe('against the mock OpenAI upstream', () => {
  it('returns a chat completion', async () => {
    const response = await pool.request(chat(false, { content: 'hello there' }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe('hello there');
  });

  it('streams server-sent events through to [DONE]', async () => {
    const text = await readStream(chat(true, { content: 'one two three' }));
    expect(text).toContain('data: [DONE]');
    expect(text.split('\n').filter((line) => line.startsWith('data: {')).length).toBeGreaterThanOrEqual(3);
  });

  it('passes provider error statuses through as responses', async () => {
    const response = await pool.request(chat(false, { status: 429, retryAfter: 2 }));
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('2');
    await response.text();
  });

  it('a stalled stream fails with the idle timeout', async () => {
    const error = await failure(readStream(chat(true, { stallAfterChunks: 2 })));
    expect(error.code).toBe('GW_ERR_POOL_IDLE_TIMEOUT');
  });

  it('a stream cut mid-body fails with reset mid-body, not retryable', async () => {
    const error = await failure(readStream(chat(true, { cutAfterChunks: 2 })));
    expect(error.code).toBe('GW_ERR_POOL_RESET_MID_BODY');
    expect(error.isRetryable).toBe(false);
  });

  it('a reset before headers is retryable', async () => {
    const error = await failure(pool.request(chat(false, { reset: true })));
    expect(error.code).toBe('GW_ERR_POOL_RESET_BEFORE_HEADERS');
    expect(error.isRetryable).toBe(true);
  });

  it('a silent upstream fails with the headers timeout', async () => {
    const error = await failure(pool.request(chat(false, { silent: true })));
    expect(error.code).toBe('GW_ERR_POOL_HEADERS_TIMEOUT');
  });

  it('a silent streaming upstream fails with the headers timeout too', async () => {
    const error = await failure(pool.request(chat(true, { silent: true })));
    expect(error.code).toBe('GW_ERR_POOL_HEADERS_TIMEOUT');
  });
});
