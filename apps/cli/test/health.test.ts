import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, runGw } from './run-gw.ts';

// Stands in for the proxy's GET /health and GET /v1/models, in the documented shape.
const health = {
  healthy: ['gpt-4o/0'],
  unhealthy: ['gpt-4o/1', 'claude/0'],
  deployments: [
    {
      id: 'gpt-4o/0',
      modelGroup: 'gpt-4o',
      state: 'healthy',
      latencyMs: 123.4,
      inFlight: 2,
      rpmUsed: 40,
      tpmUsed: 12000,
    },
    {
      id: 'gpt-4o/1',
      modelGroup: 'gpt-4o',
      state: 'cooling_down',
      latencyMs: 250,
      inFlight: 0,
      rpmUsed: 3,
      tpmUsed: 900,
    },
    {
      id: 'claude/0',
      modelGroup: 'claude',
      state: 'open',
      latencyMs: null,
      inFlight: 0,
      rpmUsed: 0,
      tpmUsed: 0,
    },
  ],
};
const seenAuthorization: Array<string | undefined> = [];
let server: http.Server;
let url: string;
let broken: http.Server;
let brokenUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization);
    if (request.url === '/health')
      return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(health));
    if (request.url === '/v1/models') {
      return response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          data: [
            { id: 'gpt-4o', object: 'model' },
            { id: 'claude', object: 'model' },
          ],
        }),
      );
    }
    response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  broken = http.createServer((_request, response) => {
    response
      .writeHead(500, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { message: 'router exploded', type: 'server_error' } }));
  });
  broken.listen(0, '127.0.0.1');
  await once(broken, 'listening');
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  broken.close();
});

describe('gw health', () => {
  it('prints every deployment with its state, latency and usage', async () => {
    const result = await runGw(['health', '--url', url]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/deployment\s+group\s+state\s+latency ms\s+in flight\s+rpm used\s+tpm used/);
    expect(lines.find((line) => line.startsWith('gpt-4o/0'))).toMatch(
      /gpt-4o\s+healthy\s+123\.4\s+2\s+40\s+12000/,
    );
    expect(lines.find((line) => line.startsWith('gpt-4o/1'))).toMatch(/cooling down\s+250\.0/);
    expect(lines.find((line) => line.startsWith('claude/0'))).toMatch(/open\s+-\s+0/);
    expect(result.stdout).toContain('1 of 3 deployments healthy');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('prints the raw report with --json', async () => {
    const result = await runGw(['health', '--url', url, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(health);
  });

  it('sends --key as a bearer token and reads $GW_URL', async () => {
    seenAuthorization.length = 0;
    const result = await runGw(['health', '--key', 'sk-cli'], { env: { GW_URL: url } });
    expect(result.code).toBe(0);
    expect(seenAuthorization).toEqual(['Bearer sk-cli']);
  });

  it('exits 1 with a clear message when the gateway is unreachable', async () => {
    const dead = await closedPortUrl();
    const result = await runGw(['health', '--url', dead]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot reach the gateway at ${dead} (ECONNREFUSED)`);
  });

  it('exits 1 with the status and message of an HTTP error', async () => {
    const result = await runGw(['health', '--url', brokenUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/health answered HTTP 500: router exploded');
  });
});

describe('gw models', () => {
  it('lists model groups with their deployment counts and health', async () => {
    const result = await runGw(['models', '--url', url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^model\s+deployments\s+healthy\s+best latency ms/);
    expect(result.stdout).toMatch(/\ngpt-4o\s+2\s+1\s+123\.4/);
    expect(result.stdout).toMatch(/\nclaude\s+1\s+0\s+-/);
  });

  it('prints models and deployments as JSON with --json', async () => {
    const result = await runGw(['models', '--url', url, '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.models).toEqual(['gpt-4o', 'claude']);
    expect(parsed.deployments).toHaveLength(3);
  });

  it('exits 1 when the gateway is unreachable', async () => {
    const result = await runGw(['models', '--url', await closedPortUrl()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the gateway');
  });
});
