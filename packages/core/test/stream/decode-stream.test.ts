import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicProvider } from '../../src/providers/anthropic-provider.ts';
import { openAIProvider } from '../../src/providers/openai-provider.ts';
import { createAnthropicSseEncoder } from '../../src/stream/anthropic-sse-encoder.ts';
import { decodeStream } from '../../src/stream/decode-stream.ts';
import { createOpenAISseEncoder } from '../../src/stream/openai-sse-encoder.ts';
import { createOpenAIStreamDecoder } from '../../src/stream/openai-stream-decoder.ts';
import { createSseJsonDecoder } from '../../src/stream/sse-decoder.ts';
import type { ChatCompletionChunk } from '../../src/types/openai.ts';
import type { Provider, ProviderTarget } from '../../src/types/provider.ts';

const encoder = new TextEncoder();
const target: ProviderTarget = { provider: 'openai', model: 'm', apiBase: 'http://unused' };
let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());

function chunk(content: string, finish: 'stop' | null = null): string {
  return `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
}

async function collect(iterable: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function stream(provider: Provider, providerTarget: ProviderTarget, scenario: object) {
  const built = provider.buildRequest(
    'chat',
    { model: 'x', messages: [{ role: 'user', content: 'hi' }], stream: true },
    providerTarget,
  );
  const response = await request(`${built.origin}${built.path}`, {
    method: 'POST',
    headers: { ...built.headers, 'x-mock-scenario': JSON.stringify(scenario) },
    body: built.body!,
  });
  return decodeStream(response.body, provider.createStreamDecoder(providerTarget));
}

describe('decodeStream', () => {
  it('stops reading at [DONE] even when the upstream keeps the connection open', async () => {
    let pulledAfterDone = false;
    async function* body() {
      yield encoder.encode(chunk('Hel'));
      yield encoder.encode(`${chunk('lo', 'stop')}data: [DONE]\n\n`);
      pulledAfterDone = true;
      await new Promise(() => undefined);
    }
    const chunks = await collect(decodeStream(body(), createOpenAIStreamDecoder(target)));
    expect(chunks.map((item) => item.choices[0]?.delta.content).join('')).toBe('Hello');
    expect(pulledAfterDone).toBe(false);
  });

  it('decodes a real upstream stream split across arbitrary byte boundaries', async () => {
    const wire = `${chunk('a')}${chunk('é')}${chunk('c', 'stop')}data: [DONE]\n\n`;
    const bytes = encoder.encode(wire);
    async function* body() {
      for (let index = 0; index < bytes.length; index += 7) yield bytes.slice(index, index + 7);
    }
    const chunks = await collect(decodeStream(body(), createOpenAIStreamDecoder(target)));
    expect(chunks.map((item) => item.choices[0]?.delta.content).join('')).toBe('aéc');
  });

  it('holds no upstream bytes while it waits for the consumer', async () => {
    // A full collection on demand, so the test can see whether the bytes are still reachable.
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    let bytesRef: WeakRef<Uint8Array> | undefined;
    const arrive = () => {
      const bytes = encoder.encode(chunk('Hel'));
      bytesRef = new WeakRef(bytes);
      return bytes;
    };
    async function* body() {
      yield arrive();
      await new Promise(() => undefined);
    }
    const chunks = decodeStream(body(), createOpenAIStreamDecoder(target));
    const first = await chunks.next();
    expect(first.value?.choices[0]?.delta.content).toBe('Hel');
    // WeakRefs keep their target until the current job ends: collect on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(bytesRef?.deref()).toBeUndefined();
  });

  it('tells the body to stop when the consumer leaves early, and not when it was read to the end', async () => {
    let returned = 0;
    const bodyOf = (parts: string[]): AsyncIterable<Uint8Array> => ({
      [Symbol.asyncIterator]() {
        let index = 0;
        return {
          next: async () =>
            index < parts.length
              ? { done: false, value: encoder.encode(parts[index++]!) }
              : { done: true, value: undefined },
          return: async () => {
            returned += 1;
            return { done: true, value: undefined };
          },
        };
      },
    });
    const early = decodeStream(bodyOf([chunk('a'), chunk('b')]), createOpenAIStreamDecoder(target));
    await early.next();
    await early.return();
    expect(returned).toBe(1);
    await collect(decodeStream(bodyOf([chunk('a'), chunk('b', 'stop')]), createOpenAIStreamDecoder(target)));
    expect(returned).toBe(1);
  });

  it('passes the body error and the cut-stream error through mapError', async () => {
    async function* failing() {
      yield encoder.encode(chunk('a'));
      throw new Error('socket reset');
    }
    const mapped = (error: unknown) => new Error(`mapped: ${(error as Error).message}`);
    await expect(collect(decodeStream(failing(), createOpenAIStreamDecoder(target), mapped))).rejects.toThrow(
      'mapped: socket reset',
    );
    async function* cut() {
      yield encoder.encode(chunk('partial'));
    }
    await expect(collect(decodeStream(cut(), createOpenAIStreamDecoder(target), mapped))).rejects.toThrow(
      /^mapped: /,
    );
  });

  it('throws for a stream cut before its finish (no finish reason, no terminator)', async () => {
    async function* body() {
      yield encoder.encode(chunk('partial'));
    }
    await expect(collect(decodeStream(body(), createOpenAIStreamDecoder(target)))).rejects.toMatchObject({
      errorClass: 'connection',
    });
  });

  it('finalises at once a mock-upstream stream without [DONE] and one without message_stop', async () => {
    const openai = await collect(
      await stream(
        openAIProvider,
        { provider: 'openai', model: 'gpt', apiBase: `${mock.url}/v1`, apiKey: 'k-12345678' },
        { omitDone: true },
      ),
    );
    expect(openai.some((item) => item.choices[0]?.finish_reason === 'stop')).toBe(true);
    const anthropic = await collect(
      await stream(
        anthropicProvider,
        { provider: 'anthropic', model: 'claude', apiBase: mock.url, apiKey: 'k-12345678' },
        { omitDone: true },
      ),
    );
    expect(anthropic.some((item) => item.choices[0]?.finish_reason === 'stop')).toBe(true);
  });
});

describe('SSE encoders', () => {
  const usageChunk = {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  };

  it('leaves usage out for an OpenAI caller that did not ask for it', () => {
    const quiet = createOpenAISseEncoder({ includeUsage: false });
    expect(quiet.chunk(usageChunk)).toBe('');
    expect(quiet.chunk({ ...JSON.parse(chunk('x').slice(6)), usage: null })).not.toContain('usage');
    expect(createOpenAISseEncoder().chunk(usageChunk)).toContain('"usage"');
  });

  it("sends a decoded chunk on as the upstream's own text, cutting only a trailing null usage", () => {
    // Unusual spacing proves the bytes are the upstream's, not a re-serialisation.
    const wire =
      'data: {"id":"c1",  "object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}\n\n' +
      'data: {"id":"c2","object":"chat.completion.chunk",\ndata: "choices":[{"index":0,"delta":{"content":"!"}}]}\n\n';
    const decode = () =>
      createSseJsonDecoder()
        .push(wire)
        .map((event) => event.data);
    const [single, multiLine] = decode();
    expect(createOpenAISseEncoder().chunk(single)).toBe(
      'data: {"id":"c1",  "object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}\n\n',
    );
    // The encoder takes the text: the same chunk encoded again is serialised, with the same content.
    expect(createOpenAISseEncoder().chunk(single)).toBe(`data: ${JSON.stringify(single)}\n\n`);
    expect(createOpenAISseEncoder({ includeUsage: false }).chunk(decode()[0])).toBe(
      'data: {"id":"c1",  "object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n',
    );
    // Data spread over two lines would break SSE framing as it is: it is re-serialised on one line.
    expect(createOpenAISseEncoder().chunk(multiLine)).toBe(`data: ${JSON.stringify(multiLine)}\n\n`);
    // A chunk gw built (a resumed remainder, a translation) has no upstream text and is serialised.
    const built = { ...(single as object) };
    expect(createOpenAISseEncoder().chunk(built)).toBe(`data: ${JSON.stringify(built)}\n\n`);
  });

  it('reports full usage, cached tokens included, in the Anthropic message_delta', () => {
    const anthropic = createAnthropicSseEncoder('claude');
    const wire =
      anthropic.chunk(JSON.parse(chunk('Hi', 'stop').slice(6))) +
      anthropic.chunk({
        ...usageChunk,
        usage: {
          prompt_tokens: 50,
          completion_tokens: 2,
          total_tokens: 52,
          prompt_tokens_details: { cached_tokens: 40 },
        },
      }) +
      anthropic.end();
    const delta = wire.split('\n\n').find((line) => line.startsWith('event: message_delta'))!;
    expect(JSON.parse(delta.split('data: ')[1]!)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 10,
        output_tokens: 2,
        cache_read_input_tokens: 40,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('emits a complete Anthropic event sequence even for an empty answer', () => {
    const anthropic = createAnthropicSseEncoder('claude');
    const types = anthropic
      .end()
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => frame.split('\n')[0]);
    expect(types).toEqual(['event: message_start', 'event: message_delta', 'event: message_stop']);
  });
});

describe('reasoning', () => {
  it('writes reasoning_content deltas as an Anthropic thinking block before the text block', () => {
    const anthropic = createAnthropicSseEncoder('claude');
    const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm' };
    const wire =
      anthropic.chunk({
        ...base,
        choices: [{ index: 0, delta: { reasoning_content: 'Let me think' }, finish_reason: null }],
      }) +
      anthropic.chunk({
        ...base,
        choices: [{ index: 0, delta: { content: 'Answer' }, finish_reason: 'stop' }],
      }) +
      anthropic.end();
    const starts = wire
      .split('\n\n')
      .filter((frame) => frame.startsWith('event: content_block_start'))
      .map((frame) => JSON.parse(frame.split('data: ')[1]!).content_block.type);
    expect(starts).toEqual(['thinking', 'text']);
    expect(wire).toContain('"thinking_delta","thinking":"Let me think"');
  });
});
