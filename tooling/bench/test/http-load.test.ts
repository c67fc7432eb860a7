import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLoad } from '../src/index.ts';

let server: http.Server;
let url: string;
const seenBodies: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      if (body) seenBodies.push(body);
      if (request.url === '/teapot') {
        response.writeHead(418).end('no');
        return;
      }
      if (request.url === '/stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: first\n\n');
        setImmediate(() => response.end('data: [DONE]\n\n'));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
});

describe('httpLoad', () => {
  it('runs a closed loop with autocannon for an exact number of requests', async () => {
    const result = await httpLoad({ url: `${url}/`, connections: 2, requests: 40 });
    expect(result.engine).toBe('autocannon');
    expect(result.requests).toBe(40);
    expect(result.ok).toBe(40);
    expect(result.statusCounts).toEqual({ '200': 40 });
    expect(result.latencyMs.count).toBe(40);
    expect(result.latencyMs.median).toBeGreaterThan(0);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
    expect(result.bytesRead).toBeGreaterThan(0);
  });

  it('counts non-2xx responses by status, not as ok', async () => {
    const result = await httpLoad({ url: `${url}/teapot`, connections: 1, requests: 5 });
    expect(result.ok).toBe(0);
    expect(result.statusCounts).toEqual({ '418': 5 });
  });

  it('sends an object body as JSON', async () => {
    seenBodies.length = 0;
    await httpLoad({ url: `${url}/`, method: 'POST', body: { model: 'm' }, connections: 1, requests: 2 });
    expect(seenBodies).toEqual(['{"model":"m"}', '{"model":"m"}']);
  });

  it('frames a body sent without a method on its own engines, so every request arrives whole', async () => {
    seenBodies.length = 0;
    const result = await httpLoad({
      url: `${url}/stream`,
      body: { model: 'm' },
      connections: 2,
      requests: 6,
      stream: true,
    });
    expect(result.ok).toBe(6);
    expect(result.errors).toBe(0);
    expect(seenBodies).toEqual(Array.from({ length: 6 }, () => '{"model":"m"}'));
  });

  it('measures time to first byte on streams', async () => {
    const result = await httpLoad({ url: `${url}/stream`, connections: 3, requests: 12, stream: true });
    expect(result.engine).toBe('closed-loop');
    expect(result.ok).toBe(12);
    expect(result.ttfbMs?.count).toBe(12);
    expect(result.ttfbMs!.max).toBeLessThanOrEqual(result.latencyMs.max);
  });

  it('starts requests at a constant rate in open-loop mode', async () => {
    const result = await httpLoad({ url: `${url}/`, connections: 4, rate: 200, requests: 20 });
    expect(result.engine).toBe('open-loop');
    expect(result.rate).toBe(200);
    expect(result.requests).toBe(20);
    expect(result.ok).toBe(20);
  });

  it('reports connection failures as errors, not as responses', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const result = await httpLoad({
      url: `http://127.0.0.1:${port}/`,
      connections: 1,
      requests: 3,
      stream: true,
    });
    expect(result.ok).toBe(0);
    expect(result.errors).toBe(3);
    expect(result.errorMessages).toEqual({ ECONNREFUSED: 3 });
  });

  it('rejects a non-positive connection count', async () => {
    await expect(httpLoad({ url, connections: 0 })).rejects.toThrow(/connections/);
  });
});
