import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultContent, type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, runGw } from './run-gw.ts';

let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream({
    models: {
      limited: { status: 429, retryAfter: 3 },
      cut: { cutAfterChunks: 2 },
      nodone: { omitDone: true },
      failing: { streamError: { message: 'upstream overloaded', afterChunks: 1 } },
      story: { content: 'Once upon a time, a gateway routed every request.' },
    },
  });
});

afterAll(async () => {
  await upstream.close();
});

const base = (): string[] => ['--url', upstream.url, '--key', 'sk-test'];

describe('gw chat', () => {
  it('streams the answer to stdout', async () => {
    const result = await runGw(['chat', '--model', 'story', ...base(), 'Tell me a story']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Once upon a time, a gateway routed every request.\n');
    const request = upstream.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body).toMatchObject({
      model: 'story',
      stream: true,
      messages: [{ role: 'user', content: 'Tell me a story' }],
    });
  });

  it('reads the prompt from stdin and accepts a system message and --no-stream', async () => {
    const result = await runGw(['chat', '-m', 'gpt-4o', ...base(), '--system', 'Be brief.', '--no-stream'], {
      input: 'Hello from stdin',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${defaultContent}\n`);
    expect(upstream.requests.at(-1)!.body).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello from stdin' },
      ],
    });
    expect((upstream.requests.at(-1)!.body as { stream?: boolean }).stream).toBeUndefined();
  });

  it('exits 1 with the HTTP status and the error message on an HTTP error', async () => {
    const result = await runGw(['chat', '--model', 'limited', ...base(), 'hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/answered HTTP 429: .+/);
  });

  it('exits 1 when the stream is cut before [DONE], after printing what arrived', async () => {
    const result = await runGw(['chat', '--model', 'cut', ...base(), 'hi']);
    expect(result.code).toBe(1);
    expect(result.stdout.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/stream (broke|ended before)/);
  });

  it('exits 1 when the stream ends without [DONE]', async () => {
    const result = await runGw(['chat', '--model', 'nodone', ...base(), 'hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ended before data: [DONE]');
  });

  it('exits 1 on an in-stream error event', async () => {
    const result = await runGw(['chat', '--model', 'failing', ...base(), 'hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The stream failed');
  });

  it('exits 1 naming the reason of an error event whose data is plain text', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(
        'data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\nevent: error\ndata: upstream went away\n\n',
      );
    });
    await once(server.listen(0, '127.0.0.1'), 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await runGw(['chat', '--model', 'any', '--url', url, '--key', 'sk-test', 'hi']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The stream failed: upstream went away');
    } finally {
      server.close();
    }
  });

  it('exits 1 with a clear message when the gateway is unreachable', async () => {
    const dead = await closedPortUrl();
    const result = await runGw(['chat', '--model', 'gpt-4o', '--url', dead, 'hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot reach the gateway at ${dead}`);
  });

  it('exits 2 when stdin holds no prompt', async () => {
    const result = await runGw(['chat', '--model', 'gpt-4o', ...base()], { input: '  ' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('prompt read from stdin is empty');
  });
});
