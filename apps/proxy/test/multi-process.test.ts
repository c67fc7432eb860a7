// Three proxy processes sharing one Redis must enforce one limit between them, not three.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxyProcess, spawnProxy } from './spawn-proxy.ts';

const LIMIT = 5;
const BURST = 18;
const prefix = `gw-proxy-test:${randomUUID()}:`;
const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
let mock: MockUpstream;
let directory: string;
let proxies: ProxyProcess[] = [];

beforeAll(async () => {
  await redis.connect();
  mock = await startMockUpstream({ port: 0 });
  directory = mkdtempSync(join(tmpdir(), 'gw-proxy-multi-'));
  const configPath = join(directory, 'config.yaml');
  const config = {
    model_list: [
      {
        model_name: 'open',
        litellm_params: { model: 'openai/open', api_base: `${mock.url}/v1`, api_key: 'sk-test' },
      },
      {
        model_name: 'capped',
        litellm_params: {
          model: 'openai/capped',
          api_base: `${mock.url}/v1`,
          api_key: 'sk-test',
          rpm: LIMIT,
        },
      },
    ],
    router_settings: { redis_host: '127.0.0.1', redis_port: 6379, num_retries: 0 },
    general_settings: { master_key: 'sk-master-0000' },
    gw_settings: {
      redis_prefix: prefix,
      virtual_keys: [{ key: 'sk-burst-key-1', alias: 'burst', rpm: LIMIT }],
    },
  };
  // YAML is a superset of JSON.
  writeFileSync(configPath, JSON.stringify(config));
  proxies = await Promise.all([0, 1, 2].map(() => spawnProxy(['--port', '0', '--config', configPath])));
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await mock.close();
  rmSync(directory, { recursive: true, force: true });
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  expect(await redis.keys(`${prefix}*`)).toEqual([]);
  redis.disconnect();
});

async function burst(model: string, key: string): Promise<number[]> {
  const requests = Array.from({ length: BURST }, (_, index) =>
    fetch(`${proxies[index % proxies.length]!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: `burst ${index}` }] }),
    }).then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    }),
  );
  return Promise.all(requests);
}

function count(statuses: number[], status: number): number {
  return statuses.filter((value) => value === status).length;
}

describe('limits shared through Redis by 3 proxy processes', () => {
  it('runs three processes on their own ports', () => {
    expect(proxies.map((proxy) => proxy.url)).toHaveLength(3);
    expect(new Set(proxies.map((proxy) => proxy.url)).size).toBe(3);
  });

  it(`admits exactly ${LIMIT} of a concurrent burst for a virtual key limited to ${LIMIT} rpm`, async () => {
    mock.reset();
    const statuses = await burst('open', 'sk-burst-key-1');
    expect(count(statuses, 200)).toBe(LIMIT);
    expect(count(statuses, 429)).toBe(BURST - LIMIT);
    expect(mock.requests.filter((request) => request.model === 'open')).toHaveLength(LIMIT);
    expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0);
  });

  it(`sends a deployment with rpm: ${LIMIT} exactly ${LIMIT} requests; the rest get 429`, async () => {
    mock.reset();
    const statuses = await burst('capped', 'sk-master-0000');
    expect(count(statuses, 200)).toBe(LIMIT);
    expect(count(statuses, 429)).toBe(BURST - LIMIT);
    expect(mock.requests.filter((request) => request.model === 'capped')).toHaveLength(LIMIT);
  });
});
