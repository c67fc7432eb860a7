// Bench child process: the floor for a Node gateway. node:http in, an undici Pool out, bytes copied, no logic.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    upstream: { type: 'string' },
    connections: { type: 'string', default: '256' },
  },
});
const upstream = new URL(values.upstream ?? 'http://127.0.0.1:9100');
const pool = new Pool(upstream.origin, { connections: Number(values.connections), pipelining: 1 });

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    pool.request(
      {
        method: 'POST',
        path: `${upstream.pathname.replace(/\/$/, '')}${(request.url ?? '/').replace(/^\/v1/, '')}`,
        headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
        body: Buffer.concat(chunks),
      },
      (error, data) => {
        if (error) {
          response.writeHead(502).end();
          return;
        }
        response.writeHead(data.statusCode, { 'content-type': String(data.headers['content-type'] ?? '') });
        data.body.pipe(response);
        response.on('close', () => data.body.destroy());
      },
    );
  });
});
server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.close().then(() => process.exit(0));
});
