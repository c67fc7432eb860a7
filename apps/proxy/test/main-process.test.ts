// YAML is a superset of JSON, so the config files here are written with JSON.stringify.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProxy } from './spawn-proxy.ts';
import { MASTER_KEY, mockConfigObject } from './stack.ts';

let mock: MockUpstream;
let directory: string;
let configPath: string;

beforeAll(async () => {
  mock = await startMockUpstream({ port: 0, models: { 'gpt-4o': { chunkDelayMs: 40 } } });
  directory = mkdtempSync(join(tmpdir(), 'gw-proxy-'));
  configPath = join(directory, 'config.yaml');
  writeFileSync(configPath, JSON.stringify(mockConfigObject(mock.url)));
});
afterAll(async () => {
  await mock.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('main.ts as a process', () => {
  it('serves the built-in demo group with no config and no key', async () => {
    const proxy = await spawnProxy(['--port', '0']);
    try {
      const response = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  });

  it('on SIGTERM finishes the in-flight stream, refuses new connections and exits 0', async () => {
    const proxy = await spawnProxy(['--port', '0', '--config', configPath]);
    const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${proxy.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'slow please' }],
    });
    const iterator = stream[Symbol.asyncIterator]();
    let text = (await iterator.next()).value?.choices[0]?.delta.content ?? '';
    proxy.child.kill('SIGTERM');
    // The listener closes right after the signal; connecting again must fail. A connection the kernel accepted
    // just before the listener closed is reset rather than refused: the listener is still closing, try again.
    let refusedCode: string | undefined;
    for (
      let attempt = 0;
      attempt < 200 && (refusedCode === undefined || refusedCode === 'ECONNRESET');
      attempt++
    ) {
      refusedCode = await fetch(`${proxy.url}/health/liveliness`).then(
        () => undefined,
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
    }
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      text += next.value.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(refusedCode).toBe('ECONNREFUSED');
    expect(await proxy.stop()).toBe(0);
  });

  it('on a second SIGTERM while draining still finishes the in-flight stream and exits 0', async () => {
    // An upstream that holds its stream open until the test lets it end, so the second signal lands mid-drain.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chunk = (content: string, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'held',
        choices: [{ index: 0, delta: { content }, finish_reason: finish }],
      })}\n\n`;
    const upstream = createHttpServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk('first', null));
      void released.then(() => response.end(`${chunk(' last', 'stop')}data: [DONE]\n\n`));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const heldPath = join(directory, 'held.yaml');
    writeFileSync(
      heldPath,
      JSON.stringify({
        model_list: [
          {
            model_name: 'held',
            litellm_params: { model: 'openai/held', api_base: `${upstreamUrl}/v1`, api_key: 'k' },
          },
        ],
      }),
    );
    const proxy = await spawnProxy(['--port', '0', '--config', heldPath]);
    try {
      const client = new OpenAI({ apiKey: 'none', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'held',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const iterator = stream[Symbol.asyncIterator]();
      let text = (await iterator.next()).value?.choices[0]?.delta.content ?? '';
      proxy.child.kill('SIGTERM');
      // Once new connections are refused, the first signal has been handled and the drain is under way.
      let refusedCode: string | undefined;
      for (let attempt = 0; attempt < 200 && refusedCode !== 'ECONNREFUSED'; attempt++) {
        refusedCode = await fetch(`${proxy.url}/health/liveliness`).then(
          () => undefined,
          (error: Error & { cause?: { code?: string } }) => error.cause?.code,
        );
      }
      expect(refusedCode).toBe('ECONNREFUSED');
      proxy.child.kill('SIGTERM');
      release();
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        text += next.value.choices[0]?.delta.content ?? '';
      }
      expect(text).toBe('first last');
      expect(await proxy.stop()).toBe(0);
    } finally {
      release();
      upstream.closeAllConnections();
      upstream.close();
    }
  });

  it('with --workers 2 serves on the given port and exits 0 once every worker has drained on SIGTERM', async () => {
    // The primary prints the port it was given, so a fixed free port is picked first.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const proxy = await spawnProxy(['--port', String(port), '--workers', '2', '--config', configPath]);
    const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${proxy.url}/v1`, maxRetries: 0 });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => client.models.list().then((page) => page.data.length)),
    );
    expect(answers).toEqual([5, 5, 5, 5]);
    expect(await proxy.stop()).toBe(0);
  });

  it('exits with a clear message for an invalid config', async () => {
    const badPath = join(directory, 'bad.yaml');
    writeFileSync(
      badPath,
      JSON.stringify({ model_list: [{ model_name: 'x', litellm_params: { rpm: -1 } }] }),
    );
    await expect(spawnProxy(['--port', '0', '--config', badPath])).rejects.toThrow(
      /exited with 1: gw proxy: .*rpm/s,
    );
  });

  it('with --workers 2 exits 1 with the message for an invalid config instead of forking new workers', async () => {
    const badPath = join(directory, 'bad-workers.yaml');
    writeFileSync(
      badPath,
      JSON.stringify({ model_list: [{ model_name: 'x', litellm_params: { rpm: -1 } }] }),
    );
    await expect(spawnProxy(['--port', '0', '--workers', '2', '--config', badPath])).rejects.toThrow(
      /exited with 1: gw proxy: .*rpm/s,
    );
  });
});
