import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  type CompleteEvent,
  type ConnectEvent,
  createCachedLookup,
  type HeadersEvent,
} from '../src/index.ts';
import { startServer } from './support/local-server.ts';
import { openPool } from './support/open-pool.ts';
import { signal } from './support/signal.ts';

describe('hooks', () => {
  it('reports connect time, time to headers and body bytes', async () => {
    const server = await startServer((_request, response) => response.end('twelve bytes'));
    const connects: ConnectEvent[] = [];
    const headers: HeadersEvent[] = [];
    const completes: CompleteEvent[] = [];
    const pool = openPool({
      hooks: {
        onConnect: (event) => connects.push(event),
        onHeaders: (event) => headers.push(event),
        onComplete: (event) => completes.push(event),
      },
    });
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
    await response.text();
    expect(connects).toHaveLength(1);
    expect(connects[0]?.origin).toBe(server.origin);
    expect(connects[0]?.connectMs).toBeGreaterThanOrEqual(0);
    expect(headers).toEqual([{ origin: server.origin, status: 200, headersMs: expect.any(Number) }]);
    expect(completes).toEqual([
      { origin: server.origin, status: 200, bytes: 12, durationMs: expect.any(Number), error: undefined },
    ]);
  });

  it('reports the error of a failed request to onComplete', async () => {
    const server = await startServer((request) => request.socket.destroy());
    const completes: CompleteEvent[] = [];
    const pool = openPool({ hooks: { onComplete: (event) => completes.push(event) } });
    await pool.request({ origin: server.origin, path: '/', method: 'GET' }).catch(() => undefined);
    expect(completes[0]?.error?.code).toBe('GW_ERR_POOL_RESET_BEFORE_HEADERS');
    expect(completes[0]?.status).toBeUndefined();
  });

  it('keeps serving when a hook throws', async () => {
    const server = await startServer((_request, response) => response.end('fine'));
    const pool = openPool({
      hooks: {
        onConnect: () => {
          throw new Error('connect hook broke');
        },
        onHeaders: () => {
          throw new Error('headers hook broke');
        },
        onComplete: () => {
          throw new Error('complete hook broke');
        },
      },
    });
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
    expect(await response.text()).toBe('fine');
    expect(pool.stats()[server.origin]?.served).toBe(1);
  });
});

describe('pre-warming', () => {
  it('opens a connection before the first request and serves that request on it', async () => {
    const { fire: connected, fired: firstConnection } = signal();
    const server = await startServer((_request, response) => response.end('warm'));
    server.server.on('connection', () => connected());
    const pool = openPool({ prewarm: [server.origin], connections: 1 });
    await firstConnection;
    expect(pool.stats()[server.origin]?.served).toBe(0);
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET' });
    expect(await response.text()).toBe('warm');
    expect(server.connections).toBe(1);
  });

  it('closes a pre-warm connection that was still being opened when the pool closed', async () => {
    const { fire: connected, fired: firstConnection } = signal();
    const server = await startServer(() => {});
    server.server.on('connection', () => connected());
    const socketClosed = server.socketClosed();
    const pool = openPool({ prewarm: [server.origin] });
    await pool.close();
    await firstConnection;
    await socketClosed;
    expect(server.connections).toBe(1);
  });
});

describe('DNS cache', () => {
  function countingResolver(): { lookup: LookupFunction; calls: () => number } {
    let calls = 0;
    const lookup: LookupFunction = (_hostname, _options, callback) => {
      calls++;
      const addresses: LookupAddress[] = [{ address: '127.0.0.1', family: 4 }];
      callback(null, addresses);
    };
    return { lookup, calls: () => calls };
  }

  function resolve(lookup: LookupFunction, options: LookupOptions): Promise<unknown[]> {
    return new Promise((done, fail) =>
      lookup('api.example', options, (error, address, family) =>
        error ? fail(error) : done([address, family]),
      ),
    );
  }

  it('answers from cache within the TTL and resolves again after it', async () => {
    const resolver = countingResolver();
    let now = 1_000;
    const lookup = createCachedLookup(500, resolver.lookup, () => now);
    expect(await resolve(lookup, {})).toEqual(['127.0.0.1', 4]);
    expect(await resolve(lookup, { all: true })).toEqual([[{ address: '127.0.0.1', family: 4 }], undefined]);
    expect(resolver.calls()).toBe(1);
    now += 500;
    await resolve(lookup, {});
    expect(resolver.calls()).toBe(2);
  });

  it('reports a host name that does not resolve as a retryable DNS error', async () => {
    const failing: LookupFunction = (hostname, _options, callback) =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    const pool = openPool({ lookup: failing });
    const error = await pool
      .request({ origin: 'http://nowhere.test:1', path: '/', method: 'GET' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'GW_ERR_POOL_DNS', isRetryable: true });
  });

  it('resolves a host name once for several connections to it', async () => {
    const server = await startServer((_request, response) => setImmediate(() => response.end('ok')));
    const resolver = countingResolver();
    const port = new URL(server.origin).port;
    const origin = `http://upstream.test:${port}`;
    const pool = openPool({ lookup: resolver.lookup });
    const active = pool;
    const texts = await Promise.all(
      [1, 2, 3].map(async () => (await active.request({ origin, path: '/', method: 'GET' })).text()),
    );
    expect(texts).toEqual(['ok', 'ok', 'ok']);
    expect(server.connections).toBe(3);
    expect(resolver.calls()).toBe(1);
  });
});
