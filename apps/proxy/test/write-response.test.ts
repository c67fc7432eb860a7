import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { StreamSink } from '@gw/core';
import { describe, expect, it } from 'vitest';
import { writeGatewayResponse } from '../src/write-response.ts';

/** The raw HTTP/1.1 response to one GET, as the bytes arrived. */
async function rawResponse(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end('GET / HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n');
  let raw = '';
  for await (const bytes of socket) raw += String(bytes);
  return raw;
}

describe('writeGatewayResponse', () => {
  it("writes a stream that has no pipeTo (a hook's own) by iterating it, and ends the response", async () => {
    const pieces = ['data: {"a":1}\n\n', 'data: {"a":2}\n\n', 'data: [DONE]\n\n'];
    async function* stream() {
      for (const piece of pieces) yield piece;
    }
    const server = createServer((_request, response) => {
      void writeGatewayResponse(response, { status: 200, headers: { 'x-own': 'yes' }, stream: stream() }, {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(response.headers.get('x-own')).toBe('yes');
      expect(await response.text()).toBe(pieces.join(''));
    } finally {
      server.close();
    }
  });

  it('sends the pieces written within one tick as one chunk, and the headers with the first', async () => {
    const stream = {
      async *[Symbol.asyncIterator]() {
        yield 'unused';
      },
      async pipeTo(sink: StreamSink) {
        sink.write('data: 1\n\n');
        sink.write('data: 2\n\n');
        sink.write('data: 3\n\n');
        await new Promise((resolve) => setImmediate(resolve));
        sink.write('data: [DONE]\n\n');
      },
    };
    const server = createServer((_request, response) => {
      void writeGatewayResponse(response, { status: 200, headers: {}, stream }, {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const raw = await rawResponse((server.address() as AddressInfo).port);
      const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      expect(body).toBe('1b\r\ndata: 1\n\ndata: 2\n\ndata: 3\n\n\r\ne\r\ndata: [DONE]\n\n\r\n0\r\n\r\n');
    } finally {
      server.close();
    }
  });

  it('sends the headers at once when the first piece is not ready in the same tick', async () => {
    let release: () => void = () => {};
    const stream = {
      async *[Symbol.asyncIterator]() {
        yield 'unused';
      },
      async pipeTo(sink: StreamSink) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        sink.write('data: [DONE]\n\n');
      },
    };
    const server = createServer((_request, response) => {
      void writeGatewayResponse(response, { status: 200, headers: { 'x-own': 'yes' }, stream }, {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      // The headers arrived while the stream had written nothing yet.
      expect(response.headers.get('x-own')).toBe('yes');
      release();
      expect(await response.text()).toBe('data: [DONE]\n\n');
    } finally {
      server.close();
    }
  });
});
