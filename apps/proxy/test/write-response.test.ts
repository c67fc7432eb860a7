import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { writeGatewayResponse } from '../src/write-response.ts';

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
});
