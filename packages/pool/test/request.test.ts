import { describe, expect, it } from 'vitest';
import { PoolError } from '../src/index.ts';
import { readAll, startServer } from './support/local-server.ts';
import { openPool } from './support/open-pool.ts';

describe('request', () => {
  it('sends method, path, headers and body and returns status, headers and body', async () => {
    const server = await startServer(async (request, response) => {
      const body = await readAll(request);
      response.setHeader('x-echo-method', request.method ?? '');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ path: request.url, auth: request.headers.authorization, body }));
    });
    const pool = openPool();
    const response = await pool.request({
      origin: server.origin,
      path: '/v1/chat/completions?x=1',
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"model":"m"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-echo-method']).toBe('POST');
    expect(await response.json()).toEqual({
      path: '/v1/chat/completions?x=1',
      auth: 'Bearer k',
      body: '{"model":"m"}',
    });
  });

  it('returns non-2xx responses as responses, not errors', async () => {
    const server = await startServer((_request, response) => {
      response.statusCode = 429;
      response.end('slow down');
    });
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
    expect(response.status).toBe(429);
    expect(await response.text()).toBe('slow down');
  });

  it('reuses one keep-alive connection when the origin allows one', async () => {
    const server = await startServer((_request, response) => response.end('ok'));
    const pool = openPool({ connections: 1 });
    for (let index = 0; index < 5; index++) {
      const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
      expect(await response.text()).toBe('ok');
    }
    expect(server.connections).toBe(1);
    expect(pool.stats()[server.origin]?.served).toBe(5);
  });

  it('keeps connections alive across many sequential requests', async () => {
    const server = await startServer((_request, response) => response.end('ok'));
    const pool = openPool();
    for (let index = 0; index < 20; index++) {
      const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
      expect(await response.text()).toBe('ok');
    }
    // undici may open a second socket while the first one's completion settles, never one per request.
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('never opens more connections to an origin than configured, queueing the rest', async () => {
    const server = await startServer((_request, response) => setImmediate(() => response.end('ok')));
    const pool = openPool({ connections: 2, maxQueued: 20 });
    const active = pool;
    const origin = server.origin;
    const texts = await Promise.all(
      Array.from({ length: 12 }, async () =>
        (await active.request({ origin, path: '/', method: 'GET' })).text(),
      ),
    );
    expect(texts.every((text) => text === 'ok')).toBe(true);
    expect(server.connections).toBe(2);
    expect(pool.stats()[origin]).toMatchObject({ served: 12, inFlight: 0, connected: 2 });
  });

  it('rejects an invalid origin with a typed error instead of throwing', async () => {
    const pool = openPool();
    const error = await pool
      .request({ origin: 'not a url', path: '/', method: 'GET' })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(PoolError);
    expect(error.code).toBe('GW_ERR_POOL_INVALID_REQUEST');
  });

  it('rejects a path undici cannot send with a typed error', async () => {
    const server = await startServer((_request, response) => response.end());
    const pool = openPool();
    const error = await pool
      .request({ origin: server.origin, path: 'no-leading-slash', method: 'GET' })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(PoolError);
    expect(error.code).toBe('GW_ERR_POOL_INVALID_REQUEST');
    expect(pool.stats()[server.origin]?.inFlight).toBe(0);
  });

  it('treats origins that differ only in spelling as one pool', async () => {
    const server = await startServer((_request, response) => response.end('ok'));
    const pool = openPool({ connections: 1 });
    await (await pool.request({ origin: server.origin, path: '/', method: 'GET' })).text();
    await (await pool.request({ origin: `${server.origin}/`, path: '/', method: 'GET' })).text();
    expect(Object.keys(pool.stats())).toEqual([server.origin]);
    expect(pool.stats()[server.origin]?.served).toBe(2);
    expect(server.connections).toBe(1);
  });

  it('rejects a body that is not JSON from json() with a typed error', async () => {
    const server = await startServer((_request, response) => response.end('<html>'));
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
    await expect(response.json()).rejects.toMatchObject({ code: 'GW_ERR_POOL_UPSTREAM' });
  });

  it('rejects a second read of the body with a typed error from text(), json() and bytes() alike, never throwing', async () => {
    const server = await startServer((_request, response) => response.end('{"ok":true}'));
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
    expect(await response.json()).toEqual({ ok: true });
    const rereads = [() => response.text(), () => response.json(), () => response.body.bytes()];
    for (const reread of rereads) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = reread();
      }).not.toThrow();
      await expect(pending).rejects.toMatchObject({ code: 'GW_ERR_POOL_INVALID_REQUEST' });
    }
  });
});
