import { createMemoryStore } from '@gw/ratelimit';
import { describe, expect, it } from 'vitest';
import type { GatewayStreamResponse } from '../../src/pipeline/pipeline-context.ts';
import { chunkStream, completion, readAll, scriptedUpstream } from './support/fake-seams.ts';
import { chat, harness } from './support/gateway-harness.ts';

const config = {
  model_list: ['first', 'second'].map((id, index) => ({
    model_name: 'g',
    litellm_params: { model: 'openai/gpt-4o', order: index + 1 },
    model_info: { id },
  })),
  gw_settings: { resume_streams: true },
};

function contents(sse: string): string {
  return sse
    .split('\n\n')
    .filter((event) => event.startsWith('data: {'))
    .map((event) => JSON.parse(event.slice(6)) as { choices?: { delta?: { content?: string } }[] })
    .map((chunk) => chunk.choices?.[0]?.delta?.content ?? '')
    .join('');
}

async function run(upstream: ReturnType<typeof scriptedUpstream>, gatewayConfig: object = config) {
  const gateway = harness({ config: gatewayConfig, upstream });
  const response = (await gateway.handle({
    operation: 'chat',
    headers: {},
    body: chat('g', { stream: true }),
  })) as GatewayStreamResponse;
  return readAll(response.stream);
}

describe('resumeStreams', () => {
  it('restarts on another deployment and skips the prefix the caller already has', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['Hello ', 'wor', 'ld'], { failAfter: 2 }),
      second: async () => chunkStream(['Hello ', 'world', '!']),
    });
    const text = await run(upstream);
    expect(contents(text)).toBe('Hello world!');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('"error"');
  });

  it('ends with the error event when the restarted answer diverges from what was sent', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['Hello ', 'wor', 'ld'], { failAfter: 2 }),
      second: async () => chunkStream(['Goodbye ', 'now']),
    });
    const text = await run(upstream);
    expect(contents(text)).toBe('Hello wor');
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
  });

  it('continues with an assistant prefill where the new deployment supports it', async () => {
    const upstream = scriptedUpstream(
      {
        first: async () => chunkStream(['Hello ', 'wor', 'ld'], { failAfter: 2 }),
        second: async () => chunkStream(['ld', '!']),
      },
      ['second'],
    );
    const text = await run(upstream);
    expect(contents(text)).toBe('Hello world!');
    const resumed = upstream.calls.at(-1)!.request.messages as { role: string; content: string }[];
    expect(resumed.at(-1)).toEqual({ role: 'assistant', content: 'Hello wor' });
  });

  it('never sends the resumed part to the deployment that just broke the stream', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['Hello ', 'wor', 'ld'], { failAfter: 2 }),
      second: async () => chunkStream(['Hello ', 'world', '!']),
    });
    await run(upstream);
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['first', 'second']);
  });

  it("holds the resumed deployment's own rpm in the store replicas share, as a routed call does", async () => {
    const store = createMemoryStore({ clock: () => 1_000_000 });
    const capped = (ids: string[]) => ({
      ...config,
      model_list: config.model_list
        .filter((entry) => ids.includes(entry.model_info.id))
        .map((entry) =>
          entry.model_info.id === 'second'
            ? { ...entry, litellm_params: { ...entry.litellm_params, rpm: 1 } }
            : entry,
        ),
    });
    // Another replica, which knows only `second`, takes its one request of the minute.
    const replica = harness({
      config: capped(['second']),
      upstream: scriptedUpstream({ second: async () => completion('hi') }),
      clock: () => 1_000_000,
      store,
    });
    expect((await replica.handle({ operation: 'chat', headers: {}, body: chat('g') })).status).toBe(200);
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['Hello ', 'wor', 'ld'], { failAfter: 2 }),
      second: async () => chunkStream(['Hello ', 'world', '!']),
    });
    const gateway = harness({ config: capped(['first', 'second']), upstream, clock: () => 1_000_000, store });
    const cut = await readAll(
      (
        (await gateway.handle({
          operation: 'chat',
          headers: {},
          body: chat('g', { stream: true }),
        })) as GatewayStreamResponse
      ).stream,
    );
    expect(contents(cut)).toBe('Hello wor');
    expect(cut).toContain('"error"');
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['first']);
  });

  it('ends with the error event when the broken deployment is the only one', async () => {
    const upstream = scriptedUpstream({
      first: async () => chunkStream(['Hello ', 'wor', 'ld'], { failAfter: 2 }),
    });
    const text = await run(upstream, { ...config, model_list: [config.model_list[0]!] });
    expect(contents(text)).toBe('Hello wor');
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
    expect(upstream.calls.map((call) => call.deployment)).toEqual(['first']);
  });
});
