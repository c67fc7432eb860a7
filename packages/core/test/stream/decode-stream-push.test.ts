import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { createUpstreamPool } from '@gw/pool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAIProvider } from '../../src/providers/openai-provider.ts';
import { type ChunkHandlers, decodeStream, isPushable } from '../../src/stream/decode-stream.ts';
import { createOpenAIStreamDecoder } from '../../src/stream/openai-stream-decoder.ts';
import type { ChatCompletionChunk } from '../../src/types/openai.ts';
import type { ProviderTarget } from '../../src/types/provider.ts';

const encoder = new TextEncoder();
const target: ProviderTarget = { provider: 'openai', model: 'm', apiBase: 'http://unused' };

function chunk(content: string, finish: 'stop' | null = null): string {
  return `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
}

/** A body that pushes what the test sends it, as the pool's does; its iterator serves reads before `pipe`. */
function pushingBody(first: string) {
  let consumer: { data(bytes: Uint8Array): void; end(): void; error(error: unknown): void } | undefined;
  let held = false;
  const waiting: Array<() => void> = [];
  const state = { stopped: 0, pauses: 0 };
  const body = {
    [Symbol.asyncIterator]() {
      let served = false;
      return {
        next: async () => {
          if (served) throw new Error('this body is read by push after the first chunk');
          served = true;
          return { done: false as const, value: encoder.encode(first) };
        },
        return: async () => {
          state.stopped++;
          return { done: true as const, value: undefined };
        },
      };
    },
    pipe(next: typeof consumer) {
      consumer = next;
    },
    pause() {
      state.pauses++;
      held = true;
    },
    resume() {
      held = false;
      for (const deliver of waiting.splice(0)) deliver();
    },
  };
  const whenFlowing = (deliver: () => void) => (held ? waiting.push(deliver) : deliver());
  return {
    body,
    state,
    send: (text: string) => whenFlowing(() => consumer?.data(encoder.encode(text))),
    end: () => whenFlowing(() => consumer?.end()),
    fail: (error: Error) => consumer?.error(error),
  };
}

function recorder() {
  const contents: string[] = [];
  const outcome: { ended: number; errors: unknown[] } = { ended: 0, errors: [] };
  const handlers: ChunkHandlers<ChatCompletionChunk> = {
    chunk: (item) => contents.push(String(item.choices[0]?.delta.content ?? '')),
    end: () => outcome.ended++,
    error: (error) => outcome.errors.push(error),
  };
  return { contents, outcome, handlers };
}

describe('decodeStream pushed', () => {
  it('pushes the chunks that follow those pulled, as they arrive, then ends once', async () => {
    const upstream = pushingBody(chunk('a') + chunk('b'));
    const chunks = decodeStream(upstream.body, createOpenAIStreamDecoder(target));
    expect(isPushable(chunks)).toBe(true);
    expect((await chunks.next()).value?.choices[0]?.delta.content).toBe('a');
    const { contents, outcome, handlers } = recorder();
    chunks.pushTo(handlers);
    expect(contents).toEqual(['b']);
    upstream.send(chunk('c'));
    expect(contents).toEqual(['b', 'c']);
    upstream.send(`${chunk('d', 'stop')}data: [DONE]\n\n`);
    expect(contents).toEqual(['b', 'c', 'd']);
    expect(outcome).toEqual({ ended: 1, errors: [] });
    // The terminator stops the body at once, whatever the upstream does with its connection.
    await Promise.resolve();
    expect(upstream.state.stopped).toBe(1);
  });

  it('holds deliveries while paused and hands them on in order on resume', async () => {
    const upstream = pushingBody(chunk('a'));
    const chunks = decodeStream(upstream.body, createOpenAIStreamDecoder(target));
    await chunks.next();
    const { contents, outcome, handlers } = recorder();
    chunks.pushTo({
      ...handlers,
      chunk(item) {
        handlers.chunk(item);
        chunks.pause();
      },
    });
    upstream.send(chunk('b') + chunk('c'));
    expect(contents).toEqual(['b']);
    expect(upstream.state.pauses).toBe(1);
    upstream.send(chunk('d', 'stop'));
    upstream.end();
    chunks.resume();
    expect(contents).toEqual(['b', 'c']);
    chunks.resume();
    expect(contents).toEqual(['b', 'c', 'd']);
    expect(outcome.ended).toBe(0);
    chunks.resume();
    expect(outcome).toEqual({ ended: 1, errors: [] });
  });

  it('delivers the chunks before a break, then the mapped error, once', async () => {
    const upstream = pushingBody(chunk('a'));
    const mapped = (error: unknown) => new Error(`mapped: ${(error as Error).message}`);
    const chunks = decodeStream(upstream.body, createOpenAIStreamDecoder(target), mapped);
    await chunks.next();
    const { contents, outcome, handlers } = recorder();
    chunks.pushTo(handlers);
    upstream.send(chunk('b'));
    upstream.fail(new Error('socket reset'));
    upstream.end();
    expect(contents).toEqual(['b']);
    expect(outcome.ended).toBe(0);
    expect(outcome.errors.map((error) => (error as Error).message)).toEqual(['mapped: socket reset']);
  });

  it('ends a body that closes before the answer finished with an error, not as a success', async () => {
    const upstream = pushingBody(chunk('a'));
    const chunks = decodeStream(upstream.body, createOpenAIStreamDecoder(target));
    await chunks.next();
    const { outcome, handlers } = recorder();
    chunks.pushTo(handlers);
    upstream.end();
    expect(outcome.ended).toBe(0);
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toMatchObject({ errorClass: 'connection' });
  });

  it('stops the body when the consumer leaves, and delivers nothing after', async () => {
    const upstream = pushingBody(chunk('a'));
    const chunks = decodeStream(upstream.body, createOpenAIStreamDecoder(target));
    await chunks.next();
    const { contents, outcome, handlers } = recorder();
    chunks.pushTo(handlers);
    await chunks.return();
    upstream.send(chunk('b', 'stop'));
    upstream.end();
    expect(upstream.state.stopped).toBe(1);
    expect(contents).toEqual([]);
    expect(outcome).toEqual({ ended: 0, errors: [] });
  });

  it('refuses push while a read is waiting', async () => {
    const upstream = pushingBody(chunk('a'));
    const chunks = decodeStream(upstream.body, createOpenAIStreamDecoder(target));
    const reading = chunks.next();
    expect(() => chunks.pushTo(recorder().handlers)).toThrow(/being read already/);
    await reading;
  });
});

describe('decodeStream over a pool response body', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterAll(() => mock.close());

  it('reads a real upstream stream by push after its first chunk', async () => {
    const pool = createUpstreamPool();
    try {
      const providerTarget: ProviderTarget = {
        provider: 'openai',
        model: 'gpt',
        apiBase: `${mock.url}/v1`,
        apiKey: 'k-12345678',
      };
      const built = openAIProvider.buildRequest(
        'chat',
        { model: 'gpt', messages: [{ role: 'user', content: 'hi' }], stream: true },
        providerTarget,
      );
      const response = await pool.request({ ...built, stream: true });
      const chunks = decodeStream(response.body, openAIProvider.createStreamDecoder(providerTarget));
      expect(isPushable(chunks)).toBe(true);
      const first = await chunks.next();
      const { contents, outcome, handlers } = recorder();
      const ended = new Promise<void>((resolve) => {
        chunks.pushTo({
          ...handlers,
          end: () => {
            handlers.end();
            resolve();
          },
          error: (error) => {
            handlers.error(error);
            resolve();
          },
        });
      });
      await ended;
      expect(outcome).toEqual({ ended: 1, errors: [] });
      const text = String(first.value?.choices[0]?.delta.content ?? '') + contents.join('');
      expect(text.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
