import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from './support/local-server.ts';
import { openPool } from './support/open-pool.ts';
import { failure } from './support/pool-failure.ts';

describe('timeouts', () => {
  it('fires the headers timeout when a non-streaming upstream never answers', async () => {
    const server = await startServer(() => {});
    const pool = openPool({ timeouts: { headersMs: 100 } });
    const error = await failure(
      pool.request({ origin: server.origin, path: '/', method: 'POST', body: '{}' }),
    );
    expect(error.code).toBe('GW_ERR_POOL_HEADERS_TIMEOUT');
    expect(error.timeoutKind).toBe('headers');
    expect(error.isRetryable).toBe(false);
    expect(error.status).toBe(504);
  });

  it('fires the headers timeout for a streaming request, set per request', async () => {
    const server = await startServer(() => {});
    const pool = openPool();
    const error = await failure(
      pool.request({
        origin: server.origin,
        path: '/',
        method: 'GET',
        stream: true,
        timeouts: { headersMs: 100 },
      }),
    );
    expect(error.code).toBe('GW_ERR_POOL_HEADERS_TIMEOUT');
  });

  it('fires the idle timeout when a stream stalls between chunks', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
    });
    const pool = openPool({ timeouts: { idleMs: 100 } });
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    const chunks: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of response.body) chunks.push(Buffer.from(chunk).toString());
      })(),
    );
    expect(chunks.join('')).toBe('data: first\n\n');
    expect(error.code).toBe('GW_ERR_POOL_IDLE_TIMEOUT');
    expect(error.timeoutKind).toBe('idle');
    expect(error.isRetryable).toBe(false);
  });

  it('fires the total timeout on a non-streaming request whose body trickles forever', async () => {
    const tickers: NodeJS.Timeout[] = [];
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      tickers.push(setInterval(() => response.write('.'), 10));
      response.on('close', () => tickers.forEach(clearInterval));
    });
    const pool = openPool({ timeouts: { totalMs: 150, idleMs: 10_000 } });
    // Headers come at once, but on a loaded machine they can take longer than the deadline: the total timeout
    // covers both, so it is the answer either way.
    const error = await failure(
      pool.request({ origin: server.origin, path: '/', method: 'GET' }).then((response) => response.text()),
    );
    expect(error.code).toBe('GW_ERR_POOL_TOTAL_TIMEOUT');
    expect(error.timeoutKind).toBe('total');
    tickers.forEach(clearInterval);
  });

  it('does not apply the total timeout to streams that keep sending', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      let sent = 0;
      const ticker = setInterval(() => {
        response.write(`${sent}`);
        sent++;
        if (sent === 10) {
          clearInterval(ticker);
          response.end();
        }
      }, 20);
    });
    const pool = openPool({ timeouts: { totalMs: 50, idleMs: 10_000 } });
    const response = await pool.request({ origin: server.origin, path: '/', method: 'GET', stream: true });
    expect(await response.text()).toBe('0123456789');
  });

  it('fires the connect timeout when the TLS handshake never completes', async () => {
    const silent: TcpServer = createTcpServer(() => {});
    const sockets = new Set<Socket>();
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const pool = openPool({ timeouts: { connectMs: 100 } });
      const error = await failure(pool.request({ origin, path: '/', method: 'GET' }));
      expect(error.code).toBe('GW_ERR_POOL_CONNECT_TIMEOUT');
      expect(error.timeoutKind).toBe('connect');
      expect(error.isRetryable).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
