import { createSecureServer, createServer, type Http2SecureServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool, PoolError, type UpstreamPool } from '../src/index.ts';
import { type Certificate, selfSignedCertificate } from './support/self-signed-cert.ts';

let pool: UpstreamPool | undefined;
let server: Http2Server | Http2SecureServer | undefined;
let certificate: Certificate;

beforeAll(() => {
  certificate = selfSignedCertificate();
});

afterEach(async () => {
  await pool?.close();
  const closing = server;
  server = undefined;
  pool = undefined;
  if (closing !== undefined) await new Promise<void>((resolve) => closing.close(() => resolve()));
});

interface Counted {
  origin: string;
  sessions: () => number;
}

async function listen(target: Http2Server | Http2SecureServer, scheme: 'http' | 'https'): Promise<Counted> {
  let sessions = 0;
  target.on('session', () => sessions++);
  target.on('stream', (stream, headers) => {
    stream.respond({ ':status': 200, 'content-type': 'text/plain', 'x-path': String(headers[':path']) });
    stream.end(`h2 ${headers[':method']} ${headers[':path']}`);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  return {
    origin: `${scheme}://127.0.0.1:${(target.address() as AddressInfo).port}`,
    sessions: () => sessions,
  };
}

describe('HTTP/2', () => {
  it('multiplexes concurrent requests over one h2c session', async () => {
    server = createServer();
    const { origin, sessions } = await listen(server, 'http');
    pool = createUpstreamPool({ connections: 1, origins: { [origin]: { h2c: true } } });
    const active = pool;
    const texts = await Promise.all(
      [1, 2, 3, 4].map(async (index) => {
        const response = await active.request({ origin, path: `/r${index}`, method: 'GET' });
        expect(response.headers['x-path']).toBe(`/r${index}`);
        return response.text();
      }),
    );
    expect(texts).toEqual(['h2 GET /r1', 'h2 GET /r2', 'h2 GET /r3', 'h2 GET /r4']);
    expect(sessions()).toBe(1);
  });

  it('negotiates h2 over TLS with allowH2 and a trusted certificate', async () => {
    server = createSecureServer({ key: certificate.key, cert: certificate.cert });
    const { origin, sessions } = await listen(server, 'https');
    pool = createUpstreamPool({ allowH2: true, origins: { [origin]: { tls: { ca: certificate.cert } } } });
    const response = await pool.request({ origin, path: '/v1/models', method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('h2 POST /v1/models');
    expect(sessions()).toBe(1);
  });

  it('chooses HTTP/2 per origin with an allowH2 function', async () => {
    server = createSecureServer({ key: certificate.key, cert: certificate.cert });
    const { origin } = await listen(server, 'https');
    const asked: string[] = [];
    pool = createUpstreamPool({
      allowH2: (candidate) => {
        asked.push(candidate);
        return candidate === origin;
      },
      origins: { [origin]: { tls: { ca: certificate.cert } } },
    });
    const response = await pool.request({ origin, path: '/fn', method: 'GET' });
    expect(await response.text()).toBe('h2 GET /fn');
    expect(asked).toContain(origin);
  });

  it('reports an untrusted certificate as a TLS error that is not retryable', async () => {
    server = createSecureServer({ key: certificate.key, cert: certificate.cert });
    const { origin } = await listen(server, 'https');
    pool = createUpstreamPool({ allowH2: true });
    const error = await pool.request({ origin, path: '/', method: 'GET' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).code).toBe('GW_ERR_POOL_TLS');
    expect((error as PoolError).isRetryable).toBe(false);
  });
});
