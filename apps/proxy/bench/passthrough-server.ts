// Bench child process: the floor for a Node gateway. node:http in, an undici Pool out, bytes copied, no logic.
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { childArguments, serveChild } from './child-process.ts';

const values = childArguments({ connections: '256' });
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
serveChild(server, values.port, () => pool.close());
