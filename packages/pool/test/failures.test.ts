import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer } from './support/local-server.ts';
import { openPool } from './support/open-pool.ts';
import { failure } from './support/pool-failure.ts';
import { signal } from './support/signal.ts';

describe('connection failures', () => {
  it('reports a refused connection as retryable', async () => {
    const closed = await startServer(() => {});
    const origin = closed.origin;
    await closed.close();
    const pool = openPool();
    const error = await failure(pool.request({ origin, path: '/', method: 'GET' }));
    expect(error.code).toBe('GW_ERR_POOL_CONNECTION_REFUSED');
    expect(error.isRetryable).toBe(true);
    expect(error.origin).toBe(origin);
  });

  it('reports a reset before response headers as retryable', async () => {
    const server = await startServer((request) => request.socket.destroy());
    const pool = openPool();
    const error = await failure(
      pool.request({ origin: server.origin, path: '/', method: 'POST', body: 'x' }),
    );
    expect(error.code).toBe('GW_ERR_POOL_RESET_BEFORE_HEADERS');
    expect(error.isRetryable).toBe(true);
  });

  it('reports a reset after body bytes as not retryable, after delivering the bytes that arrived', async () => {
    const server = await startServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: partial\n\n', () => request.socket.destroy());
    });
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const received: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of response.body) received.push(Buffer.from(chunk).toString());
      })(),
    );
    expect(received.join('')).toBe('data: partial\n\n');
    expect(error.code).toBe('GW_ERR_POOL_RESET_MID_BODY');
    expect(error.isRetryable).toBe(false);
  });

  it('counts served requests and errors by code per origin', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/reset') request.socket.destroy();
      else response.end('ok');
    });
    const pool = openPool();
    const origin = server.origin;
    await (await pool.request({ origin, path: '/', method: 'GET' })).text();
    await (await pool.request({ origin, path: '/', method: 'GET' })).text();
    await failure(pool.request({ origin, path: '/reset', method: 'GET' }));
    const stats = pool.stats()[origin];
    expect(stats?.served).toBe(2);
    expect(stats?.errorsByCode).toEqual({ GW_ERR_POOL_RESET_BEFORE_HEADERS: 1 });
    expect(stats?.inFlight).toBe(0);
  });
});

describe('queue cap', () => {
  it('rejects at once past connections + maxQueued and serves the admitted requests', async () => {
    const held: ServerResponse[] = [];
    const { fire: arrived, fired: firstArrived } = signal();
    const server = await startServer((_request, response) => {
      held.push(response);
      arrived();
    });
    const pool = openPool({ connections: 1, maxQueued: 1 });
    const origin = server.origin;
    const first = pool.request({ origin, path: '/1', method: 'GET' });
    const second = pool.request({ origin, path: '/2', method: 'GET' });
    const error = await failure(pool.request({ origin, path: '/3', method: 'GET' }));
    expect(error.code).toBe('GW_ERR_POOL_FULL');
    expect(error.isRetryable).toBe(true);
    expect(error.status).toBe(503);
    await firstArrived;
    const stats = pool.stats()[origin];
    expect(stats?.inFlight).toBe(2);
    expect(stats?.connected).toBe(1);
    expect((stats?.pending ?? 0) + (stats?.queued ?? 0)).toBe(1);
    expect(stats?.errorsByCode.GW_ERR_POOL_FULL).toBe(1);
    held.shift()?.end('one');
    expect(await (await first).text()).toBe('one');
    await new Promise<void>((resolve) => {
      const check = () => (held.length > 0 ? resolve() : setImmediate(check));
      check();
    });
    held.shift()?.end('two');
    expect(await (await second).text()).toBe('two');
  });
});

describe('cancellation', () => {
  it('aborting the caller signal rejects at once and closes the upstream socket', async () => {
    const { fire: arrived, fired: requestArrived } = signal();
    const server = await startServer(() => arrived());
    const pool = openPool();
    const controller = new AbortController();
    const pending = pool.request({
      origin: server.origin,
      path: '/',
      method: 'GET',
      signal: controller.signal,
    });
    await requestArrived;
    const socketClosed = server.socketClosed();
    controller.abort(new Error('client went away'));
    const error = await failure(pending);
    expect(error.code).toBe('GW_ERR_POOL_ABORTED');
    expect((error.cause as Error).message).toBe('client went away');
    await socketClosed;
    expect(pool.stats()[server.origin]?.inFlight).toBe(0);
  });

  it('aborting a queued request rejects it without waiting for a connection', async () => {
    const { fire: arrived, fired: requestArrived } = signal();
    const held: ServerResponse[] = [];
    const server = await startServer((_request, response) => {
      held.push(response);
      arrived();
    });
    const pool = openPool({ connections: 1 });
    const first = pool.request({ origin: server.origin, path: '/', method: 'GET' });
    await requestArrived;
    const controller = new AbortController();
    const queued = pool.request({
      origin: server.origin,
      path: '/',
      method: 'GET',
      signal: controller.signal,
    });
    controller.abort();
    expect((await failure(queued)).code).toBe('GW_ERR_POOL_ABORTED');
    held[0]?.end('done');
    expect(await (await first).text()).toBe('done');
    expect(held).toHaveLength(1);
  });

  it('an aborted queued request frees its place under the queue cap at once', async () => {
    const { fire: arrived, fired: requestArrived } = signal();
    const held: ServerResponse[] = [];
    const server = await startServer((_request, response) => {
      held.push(response);
      arrived();
      if (held.length > 1) response.end('later');
    });
    const pool = openPool({ connections: 1, maxQueued: 1 });
    const origin = server.origin;
    const first = pool.request({ origin, path: '/', method: 'GET' });
    await requestArrived;
    const controller = new AbortController();
    const queued = pool.request({ origin, path: '/', method: 'GET', signal: controller.signal });
    expect((await failure(pool.request({ origin, path: '/', method: 'GET' }))).code).toBe('GW_ERR_POOL_FULL');
    controller.abort();
    expect((await failure(queued)).code).toBe('GW_ERR_POOL_ABORTED');
    expect(pool.stats()[origin]?.inFlight).toBe(1);
    const admitted = pool.request({ origin, path: '/', method: 'GET' });
    held[0]?.end('first');
    expect(await (await first).text()).toBe('first');
    expect(await (await admitted).text()).toBe('later');
    expect(held).toHaveLength(2);
  });

  it('rejects a request whose signal is already aborted without sending it', async () => {
    const server = await startServer((_request, response) => response.end());
    const pool = openPool();
    const error = await failure(
      pool.request({ origin: server.origin, path: '/', method: 'GET', signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('GW_ERR_POOL_ABORTED');
    expect(server.connections).toBe(0);
  });

  it('aborting mid-stream fails the body and closes the upstream socket', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      response.write('first');
    });
    const pool = openPool();
    const controller = new AbortController();
    const response = await pool.request({
      origin: server.origin,
      path: '/',
      method: 'GET',
      stream: true,
      signal: controller.signal,
    });
    const iterator = response.body[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('first');
    const socketClosed = server.socketClosed();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'GW_ERR_POOL_ABORTED' });
    await socketClosed;
  });

  it('a consumer that stops iterating frees the connection', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      response.write('first');
    });
    const pool = openPool();
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const socketClosed = server.socketClosed();
    for await (const chunk of response.body) {
      expect(Buffer.from(chunk).toString()).toBe('first');
      break;
    }
    await socketClosed;
    expect(pool.stats()[server.origin]?.inFlight).toBe(0);
  });
});

describe('lifecycle', () => {
  it('drain refuses new requests and waits for in-flight ones to finish', async () => {
    const { fire: arrived, fired: requestArrived } = signal();
    const held: ServerResponse[] = [];
    const server = await startServer((_request, response) => {
      held.push(response);
      arrived();
    });
    const pool = openPool();
    const inFlight = pool.request({ origin: server.origin, path: '/', method: 'GET' });
    await requestArrived;
    let drained = false;
    const draining = pool.drain().then(() => {
      drained = true;
    });
    const refused = await failure(pool.request({ origin: server.origin, path: '/', method: 'GET' }));
    expect(refused.code).toBe('GW_ERR_POOL_CLOSED');
    expect(refused.isRetryable).toBe(true);
    expect(drained).toBe(false);
    held[0]?.end('finished');
    expect(await (await inFlight).text()).toBe('finished');
    await draining;
    expect(drained).toBe(true);
  });

  it('drain with nothing in flight resolves at once and leaves the pool refusing', async () => {
    const server = await startServer((_request, response) => response.end('ok'));
    const pool = openPool();
    await (await pool.request({ origin: server.origin, path: '/', method: 'GET' })).text();
    await pool.drain();
    const refused = await failure(pool.request({ origin: server.origin, path: '/', method: 'GET' }));
    expect(refused.code).toBe('GW_ERR_POOL_CLOSED');
    await pool.close();
    await pool.close();
  });

  it('drain ends what is still running at the deadline with GW_ERR_POOL_CLOSED', async () => {
    const server = await startServer(() => {});
    const pool = openPool();
    const stuck = pool.request({ origin: server.origin, path: '/', method: 'GET' });
    const outcome = failure(stuck);
    await pool.drain({ deadlineMs: 50 });
    expect((await outcome).code).toBe('GW_ERR_POOL_CLOSED');
  });

  it('close ends in-flight requests and refuses new ones', async () => {
    const { fire: arrived, fired: requestArrived } = signal();
    const server = await startServer(() => arrived());
    const pool = openPool();
    const stuck = failure(pool.request({ origin: server.origin, path: '/', method: 'GET' }));
    await requestArrived;
    await pool.close();
    expect((await stuck).code).toBe('GW_ERR_POOL_CLOSED');
    const refused = await failure(pool.request({ origin: server.origin, path: '/', method: 'GET' }));
    expect(refused.code).toBe('GW_ERR_POOL_CLOSED');
    const elsewhere = await failure(pool.request({ origin: 'http://127.0.0.1:9', path: '/', method: 'GET' }));
    expect(elsewhere.code).toBe('GW_ERR_POOL_CLOSED');
    expect(Object.keys(pool.stats())).toEqual([server.origin]);
  });
});
