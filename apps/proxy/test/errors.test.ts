import { once } from 'node:events';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASTER_KEY, mockConfigObject, type Stack, startStack } from './stack.ts';

let stack: Stack;
const bodies: string[] = [];

beforeAll(async () => {
  stack = await startStack({ config: (url) => mockConfigObject(url, { body_limit: '64kb' }) });
});
afterAll(() => stack.close());
beforeEach(() => stack.mock.reset());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.proxy.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  bodies.push(text);
  return { response, text, json: () => JSON.parse(text) as { error: { message: string; type: string } } };
}

/** A raw HTTP/1.1 connection to the proxy: what it received so far, and a wait for what it expects next. */
async function rawConnection() {
  const socket = connect(Number(new URL(stack.proxy.url).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  const connection = {
    socket,
    received: '',
    failures: [] as string[],
    closed: once(socket, 'close'),
    /** Resolves once `done()` holds or the connection is closed. */
    async until(done: () => boolean): Promise<void> {
      while (!done() && !socket.destroyed) await Promise.race([once(socket, 'data'), connection.closed]);
    },
  };
  socket.on('data', (data: string) => {
    connection.received += data;
  });
  socket.on('error', (error: NodeJS.ErrnoException) => connection.failures.push(error.code ?? error.message));
  return connection;
}

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

describe('errors in the caller protocol', () => {
  it('refuses a request without a key with 401', async () => {
    const { response, json } = await post('/v1/chat/completions', chat, { authorization: '' });
    expect(response.status).toBe(401);
    expect(json().error.message).toMatch(/key/i);
    expect(stack.mock.requests).toHaveLength(0);
  });

  it('refuses a wrong key with 401, through the openai client too', async () => {
    const client = new OpenAI({
      apiKey: 'sk-wrong-key-999',
      baseURL: `${stack.proxy.url}/v1`,
      maxRetries: 0,
    });
    const error = await client.chat.completions.create(chat as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
  });

  it('accepts the key in x-api-key as well', async () => {
    const { response } = await post('/v1/chat/completions', chat, {
      authorization: '',
      'x-api-key': MASTER_KEY,
    });
    expect(response.status).toBe(200);
  });

  it('answers 404 for an unknown model, naming it', async () => {
    const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ ...chat, model: 'gpt-99' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as Error).message).toContain('gpt-99');
  });

  it('answers 403 or 401 when a virtual key asks for a model it may not use', async () => {
    const { response, json } = await post(
      '/v1/chat/completions',
      { ...chat, model: 'embed' },
      {
        authorization: 'Bearer sk-team-a-1234',
      },
    );
    expect([401, 403]).toContain(response.status);
    expect(json().error.message).toContain('embed');
  });

  it('answers 400 for an invalid body, naming the field', async () => {
    const { response, json } = await post('/v1/chat/completions', { model: 'gpt-4o', messages: 'hello' });
    expect(response.status).toBe(400);
    expect(json().error.message).toContain('messages');
    expect(json().error.type).toBe('invalid_request_error');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { response, json } = await post('/v1/chat/completions', '{"model": "gpt-4o",');
    expect(response.status).toBe(400);
    expect(json().error.message).toMatch(/not valid JSON/);
  });

  it('answers 415 naming the coding for a gzip-compressed body, in the Anthropic format on /v1/messages too', async () => {
    const compressed = gzipSync(JSON.stringify(chat));
    const send = (path: string) =>
      fetch(`${stack.proxy.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${MASTER_KEY}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        body: compressed,
      });
    const openai = await send('/v1/chat/completions');
    expect(openai.status).toBe(415);
    expect(openai.headers.get('accept-encoding')).toBe('identity');
    const error = ((await openai.json()) as { error: { message: string; type: string } }).error;
    expect(error.message).toContain('gzip');
    expect(error.message).not.toContain('JSON');
    expect(error.type).toBe('invalid_request_error');
    const anthropic = await send('/v1/messages');
    expect(anthropic.status).toBe(415);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(stack.mock.requests).toHaveLength(0);
  });

  it('answers 413 for a body above the limit without buffering it', async () => {
    const big = { ...chat, messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] };
    const { response, json } = await post('/v1/chat/completions', big);
    expect(response.status).toBe(413);
    expect(json().error.message).toContain('65536');
    expect(stack.mock.requests).toHaveLength(0);
  });

  it('answers 413 to a client still sending a body above the limit, which may finish sending and go on using the connection', async () => {
    const connection = await rawConnection();
    const { socket, closed, until } = connection;
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    // Chunked, so the limit is only found while the body arrives, as with a streamed upload.
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer ${MASTER_KEY}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    socket.write(chunk(`{"model":"gpt-4o","messages":[{"role":"user","content":"${'x'.repeat(100 * 1024)}`));
    await until(() => connection.received.includes('}}'));
    expect(connection.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(connection.received).toContain('65536');
    // Closing the connection under the rest of the upload resets it (EPIPE, ECONNRESET), which hides the 413.
    const piece = chunk('x'.repeat(256 * 1024));
    for (let sent = 0; sent < 16 && !socket.destroyed; sent++) {
      if (!socket.write(piece)) await Promise.race([once(socket, 'drain'), closed]);
    }
    socket.write(`${chunk('"}]}')}0\r\n\r\nGET /health/liveliness HTTP/1.1\r\nhost: gw\r\n\r\n`);
    await until(() => connection.received.includes('"healthy"'));
    socket.destroy();
    expect(connection.failures).toEqual([]);
    expect(connection.received).toContain('{"status":"healthy"}');
    expect(stack.mock.requests).toHaveLength(0);
  });

  it('answers what the HTTP parser refuses with a JSON error body: malformed requests and oversized headers', async () => {
    const answerTo = async (raw: string) => {
      const connection = await rawConnection();
      connection.socket.end(raw);
      await connection.closed;
      const received = connection.received;
      const [head = '', body = ''] = received.split('\r\n\r\n');
      return { head, body: JSON.parse(body) as { error: { message: string; code: string } } };
    };
    const malformed = await answerTo('THIS IS NOT HTTP\r\n\r\n');
    expect(malformed.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(malformed.head).toContain('content-type: application/json');
    expect(malformed.body.error.code).toBe('GW_ERR_BAD_HTTP_REQUEST');
    const oversized = await answerTo(
      `GET /health HTTP/1.1\r\nhost: gw\r\nx-big: ${'y'.repeat(40 * 1024)}\r\n\r\n`,
    );
    expect(oversized.head).toMatch(/^HTTP\/1\.1 431 /);
    expect(oversized.body.error).toMatchObject({
      code: 'GW_ERR_HEADERS_TOO_LARGE',
      message: expect.stringContaining('32 KiB'),
    });
  });

  it('answers 413 before the upload to a client that expects 100-continue with a body above the limit', async () => {
    const connection = await rawConnection();
    // Headers only: the client sends its body after a 100 Continue, which must not come.
    connection.socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer ${MASTER_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${1024 * 1024}\r\nexpect: 100-continue\r\n\r\n`,
    );
    await connection.until(() => connection.received.includes('}}'));
    connection.socket.destroy();
    expect(connection.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(connection.received).toContain('connection: close');
    expect(connection.received).not.toContain('100 Continue');
    expect(connection.received).toContain('65536');
    expect(stack.mock.requests).toHaveLength(0);
  });

  it('still serves a client that expects 100-continue with a body within the limit', async () => {
    const connection = await rawConnection();
    const body = JSON.stringify(chat);
    connection.socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer ${MASTER_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n`,
    );
    await connection.until(() => connection.received.includes('100 Continue'));
    // Not end(): a half-closed client is a client gone, and Node drops its request.
    connection.socket.write(body);
    await connection.closed;
    expect(connection.received).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    expect(stack.mock.requests).toHaveLength(1);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const response = await fetch(`${stack.proxy.url}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('POST');
  });

  it('answers 404 in JSON for an unknown route', async () => {
    const response = await fetch(`${stack.proxy.url}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      '/v2/nothing',
    );
  });

  it('answers 404 in the Anthropic format for an unknown Anthropic-style route', async () => {
    const response = await fetch(`${stack.proxy.url}/v1/messages/nothing`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('rate limits', () => {
  it('admits a virtual key up to its rpm, then answers 429 with retry-after and rate-limit headers', async () => {
    const headers = { authorization: 'Bearer sk-limited-123' };
    const first = await post('/v1/chat/completions', chat, headers);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect((await post('/v1/chat/completions', chat, headers)).response.status).toBe(200);
    const refused = await post('/v1/chat/completions', chat, headers);
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json().error.type).toBe('rate_limit_error');
    expect(stack.mock.requests).toHaveLength(2);
  });

  it('answers 429 with retry-after when the upstream keeps answering 429 after the retries', async () => {
    stack.mock.setScenario('flaky', { status: 429, retryAfter: 1 });
    const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ ...chat, model: 'flaky' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(Number(apiError.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(apiError.headers?.get('x-gw-attempts')).toBe('2');
    expect(stack.mock.requests.map((request) => request.model)).toEqual(['flaky', 'flaky']);
  });
});

describe('budgets', () => {
  it("answers LiteLLM's 400 budget_exceeded to the openai client once a key's max_budget is spent", async () => {
    const client = new OpenAI({ apiKey: 'sk-budgeted-12', baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    const first = await client.chat.completions.create(chat as never).withResponse();
    expect(Number(first.response.headers.get('x-gw-cost'))).toBeGreaterThan(0.00009);
    const error = await client.chat.completions.create(chat as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.type).toBe('budget_exceeded');
    expect(apiError.code).toBe('GW_ERR_BUDGET_EXCEEDED');
    expect(apiError.message).toContain('Budget exceeded for this key');
    expect(stack.mock.requests).toHaveLength(1);
  });
});

describe('broken streams', () => {
  it('ends a stream cut by the upstream with an explicit error event, not [DONE]', async () => {
    stack.mock.setScenario('cut', { cutAfterChunks: 3 });
    const { response, text } = await post('/v1/chat/completions', { ...chat, model: 'cut', stream: true });
    expect(response.status).toBe(200);
    expect(text).toContain('"content":"The"');
    expect(text).not.toContain('[DONE]');
    const events = text
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .map((event) => JSON.parse(event.slice(6)) as { error?: { message: string } });
    expect(events.at(-1)?.error?.message).toBeTruthy();
  });

  it('makes the openai client throw on a cut stream', async () => {
    stack.mock.setScenario('cut', { cutAfterChunks: 2 });
    const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    const consume = async () => {
      const stream = await client.chat.completions.create({ ...chat, model: 'cut', stream: true } as never);
      for await (const _chunk of stream as unknown as AsyncIterable<unknown>) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();
  });
});

describe('error bodies', () => {
  it('never carry stack traces or file paths', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(8);
    for (const body of bodies) {
      expect(body).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|\/work\//);
    }
  });
});
