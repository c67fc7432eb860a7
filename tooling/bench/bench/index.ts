// Benchmarks for @gw/bench: a self-check of the harness (timer floor and a local HTTP round trip).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compare, formatLoadResult, httpLoad, writeResults } from '../src/index.ts';

const payload = JSON.stringify({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'hello '.repeat(200) }],
});
const micro = await compare({
  title: 'JSON round trip of a 1.2 KB chat request (harness self-check)',
  bytesPerCall: payload.length,
  contenders: [
    { name: 'gw', fn: () => JSON.parse(payload) },
    { name: 'parse+stringify', fn: () => JSON.stringify(JSON.parse(payload)) },
  ],
});

const server = http.createServer((_request, response) => response.end('ok'));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const closed = await httpLoad({ url, connections: 8, durationSeconds: 3 });
console.log(formatLoadResult('local node:http, closed loop', closed));
const open = await httpLoad({ url, connections: 8, durationSeconds: 3, rate: 2000 });
console.log(formatLoadResult('local node:http, constant arrival', open));
server.close();
console.log(`results: ${await writeResults('bench-self-check', { micro: micro.rows, closed, open })}`);
