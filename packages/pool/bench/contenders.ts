// The four HTTP clients compared, each doing the same request and reading the whole body.
import { Agent, request as httpRequest } from 'node:http';
import { Pool } from 'undici';
import { createUpstreamPool, type UpstreamPool } from '../src/index.ts';

export interface Contender {
  name: string;
  call(path: string, stream: boolean): Promise<unknown>;
  close(): Promise<void>;
}

const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
const connections = 256;

export function gwContender(origin: string): Contender {
  const pool: UpstreamPool = createUpstreamPool({ connections });
  return {
    name: 'gw pool',
    async call(path, stream) {
      const response = await pool.request({ origin, path, method: 'POST', headers, body, stream });
      if (!stream) return response.text();
      let bytes = 0;
      for await (const chunk of response.body) bytes += chunk.length;
      return bytes;
    },
    close: () => pool.close(),
  };
}

export function undiciContender(origin: string): Contender {
  const pool = new Pool(origin, { connections });
  return {
    name: 'undici Pool.request',
    async call(path, stream) {
      const response = await pool.request({ path, method: 'POST', headers, body });
      if (!stream) return response.body.text();
      let bytes = 0;
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
      return bytes;
    },
    close: () => pool.close(),
  };
}

export function nodeHttpContender(origin: string): Contender {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(origin);
  return {
    name: 'node:http + keep-alive Agent',
    call(path) {
      return new Promise((resolve, reject) => {
        const outgoing = httpRequest(
          { agent, host: url.hostname, port: url.port, path, method: 'POST', headers },
          (response) => {
            let bytes = 0;
            response.on('data', (chunk: Buffer) => {
              bytes += chunk.length;
            });
            response.on('end', () => resolve(bytes));
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
    close: async () => agent.destroy(),
  };
}

export function fetchContender(origin: string): Contender {
  return {
    name: 'global fetch',
    async call(path, stream) {
      const response = await fetch(`${origin}${path}`, { method: 'POST', headers, body });
      if (!stream) return response.text();
      let bytes = 0;
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) bytes += chunk.length;
      return bytes;
    },
    close: async () => {},
  };
}
