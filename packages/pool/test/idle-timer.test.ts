import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createH2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUpstreamPool, type UpstreamPool } from '../src/index.ts';
import { signal } from './support/signal.ts';

// These tests fake setTimeout/clearTimeout (socket I/O stays real) so that idle time can pass without sleeping.

const idleMs = 100;
const chunk = Buffer.alloc(16 * 1024, 120);
const chunks = 256;
const highWaterMark = 64 * 1024;

let pool: UpstreamPool | undefined;
let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await pool?.close();
  await close?.();
  pool = undefined;
  close = undefined;
});

interface Upstream {
  origin: string;
  /** Resolves once the server's writes are held back by flow control (or, stalling, once it went silent). */
  blocked: Promise<void>;
}

type Writable = {
  write(data: Buffer): boolean;
  end(): void;
  once(event: 'drain', listener: () => void): unknown;
};

type Behaviour = 'flood' | 'stall';

async function pump(target: Writable, onBlocked: () => void, behaviour: Behaviour): Promise<void> {
  if (behaviour === 'stall') {
    // One chunk, then silence with the connection open.
    target.write(chunk);
    onBlocked();
    return;
  }
  for (let index = 0; index < chunks; index++) {
    if (!target.write(chunk)) {
      onBlocked();
      await once(target as unknown as NodeJS.EventEmitter, 'drain');
    }
  }
  target.end();
}

async function http1Upstream(behaviour: Behaviour): Promise<Upstream> {
  const { fire: onBlocked, fired: blocked } = signal();
  const server: Server = createHttpServer((_request, response) => {
    response.writeHead(200);
    void pump(response, onBlocked, behaviour);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, blocked };
}

async function h2cUpstream(behaviour: Behaviour): Promise<Upstream> {
  const { fire: onBlocked, fired: blocked } = signal();
  const server: Http2Server = createH2Server();
  const sessions = new Set<{ destroy(): void }>();
  server.on('session', (session) => sessions.add(session));
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200 });
    void pump(stream, onBlocked, behaviour);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = async () => {
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, blocked };
}

describe.each([
  ['HTTP/1.1', http1Upstream, false],
  ['HTTP/2 (h2c)', h2cUpstream, true],
] as const)('idle timer over %s', (_protocol, start, h2c) => {
  it('does not fire while the consumer has paused the body, and the body then completes', async () => {
    const upstream = await start('flood');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    pool = createUpstreamPool({
      timeouts: { idleMs },
      highWaterMark,
      origins: { [upstream.origin]: { h2c } },
    });
    const response = await pool.request({ origin: upstream.origin, path: '/', method: 'GET', stream: true });
    const iterator = response.body[Symbol.asyncIterator]();
    let received = (await iterator.next()).value?.length ?? 0;
    await upstream.blocked;
    // The body pauses the upstream read once it holds highWaterMark bytes the consumer has not taken.
    while (response.body.bufferedBytes < highWaterMark) await new Promise((resolve) => setImmediate(resolve));
    vi.advanceTimersByTime(idleMs * 10);
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      received += next.value.length;
    }
    expect(received).toBe(chunk.length * chunks);
  });

  it('fires when the upstream goes silent while the consumer waits for data', async () => {
    const upstream = await start('stall');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    pool = createUpstreamPool({ timeouts: { idleMs }, origins: { [upstream.origin]: { h2c } } });
    const response = await pool.request({ origin: upstream.origin, path: '/', method: 'GET', stream: true });
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.length).toBe(chunk.length);
    const waiting = iterator.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    vi.advanceTimersByTime(idleMs * 10);
    expect(await waiting).toMatchObject({ code: 'GW_ERR_POOL_IDLE_TIMEOUT', timeoutKind: 'idle' });
  });
});
