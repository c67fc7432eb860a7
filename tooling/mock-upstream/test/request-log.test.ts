import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprintKey, type MockUpstream, redacted, startMockUpstream } from '../src/index.ts';
import { anthropicHeaders, chatBody, rawRequest } from './raw-http.ts';

let mock: MockUpstream;

beforeEach(async () => {
  mock = await startMockUpstream();
});

afterEach(async () => {
  await mock.close();
});

describe('request log', () => {
  it('records method, path, model, body and stream flag of every attempt', async () => {
    const client = new OpenAI({ apiKey: 'sk-secret-abc', baseURL: `${mock.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      dialect: 'openai',
      model: 'gpt-4o-mini',
      stream: false,
      attempt: 1,
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(typeof mock.requests[0]?.at).toBe('number');
  });

  it('redacts authorization, api-key and x-api-key but keeps a fingerprint of the key', async () => {
    await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: {
        authorization: 'Bearer sk-secret-1',
        'api-key': 'az-secret',
        'x-api-key': 'ant-secret',
        'x-trace': 't1',
      },
      body: chatBody('gpt-4o-mini'),
    });
    const [request] = mock.requests;
    expect(request?.headers.authorization).toBe(redacted);
    expect(request?.headers['api-key']).toBe(redacted);
    expect(request?.headers['x-api-key']).toBe(redacted);
    expect(request?.headers['x-trace']).toBe('t1');
    expect(JSON.stringify(mock.requests)).not.toContain('secret');
    expect(request?.keyFingerprint).toBe(fingerprintKey('ant-secret'));
  });

  it('fingerprints the bearer token so tests can tell which key was used', async () => {
    for (const key of ['sk-a', 'sk-b']) {
      await rawRequest(`${mock.url}/v1/chat/completions`, {
        headers: { authorization: `Bearer ${key}` },
        body: chatBody('gpt-4o-mini'),
      });
    }
    expect(mock.requests.map((request) => request.keyFingerprint)).toEqual([
      fingerprintKey('sk-a'),
      fingerprintKey('sk-b'),
    ]);
  });

  it('counts attempts per model and per scenario', async () => {
    const send = (model: string, scenario?: object) =>
      rawRequest(`${mock.url}/v1/messages`, {
        headers: {
          ...anthropicHeaders,
          ...(scenario ? { 'x-mock-scenario': JSON.stringify(scenario) } : {}),
        },
        body: { model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] },
      });
    await send('a');
    await send('b');
    await send('a');
    await send('a', { status: 500 });
    expect(mock.requests.map((request) => `${request.model}:${request.attempt}`)).toEqual([
      'a:1',
      'b:1',
      'a:2',
      'a:1',
    ]);
  });

  it('restarts the attempt count of a model when its scenario is replaced', async () => {
    mock.setScenario('m', { status: 429, failFirst: 1 });
    const first = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: { authorization: 'Bearer k' },
      body: chatBody('m'),
    });
    mock.setScenario('m', { status: 429, failFirst: 1 });
    const second = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: { authorization: 'Bearer k' },
      body: chatBody('m'),
    });
    expect([first.status, second.status]).toEqual([429, 429]);
    expect(mock.requests.map((request) => request.attempt)).toEqual([1, 1]);
  });

  it('lets the x-mock-scenario header override the model scenario', async () => {
    mock.setScenario('m', { status: 500 });
    const result = await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: { authorization: 'Bearer k', 'x-mock-scenario': JSON.stringify({ status: 503 }) },
      body: chatBody('m'),
    });
    expect(result.status).toBe(503);
  });

  it('keeps only the newest requests when maxRecordedRequests is set, still counting all', async () => {
    const bounded = await startMockUpstream({ maxRecordedRequests: 2 });
    try {
      const waiting = bounded.waitForRequests(5);
      for (let index = 0; index < 5; index += 1) {
        await rawRequest(`${bounded.url}/v1/chat/completions`, {
          headers: { authorization: 'Bearer k' },
          body: chatBody(`m${index}`),
        });
      }
      await waiting;
      expect(bounded.requests.length).toBeLessThan(4);
      expect(bounded.requests.at(-1)?.model).toBe('m4');
    } finally {
      await bounded.close();
    }
  });

  it('waits for a number of recorded requests', async () => {
    const waiting = mock.waitForRequests(2);
    await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: { authorization: 'Bearer k' },
      body: chatBody('m'),
    });
    await rawRequest(`${mock.url}/v1/chat/completions`, {
      headers: { authorization: 'Bearer k' },
      body: chatBody('m'),
    });
    expect(await waiting).toHaveLength(2);
  });
});
